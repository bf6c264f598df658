"""Name parts for synthetic people: Javanese names as used in Pemalang, by sex and generation.

Names are assembled from common given-name elements (no Indonesian family names in the Western
sense: Javanese use one or more given names), so every result is an invention, not a person.
Older generations in the Pantura/Tegal–Pemalang area often carry a single name (Casmadi,
Tarsih); people born from the 1970s on usually have two elements (Sri Rahayu, Eko Prasetyo);
children born after 2000 get the newer Arabic and Sanskrit-flavoured names (Nabila Putri,
Rizki Saputra).
"""

from __future__ import annotations

import random
from typing import Literal

__all__ = [
    "FAMOUS_NAMES",
    "Sex",
    "initials",
    "make_name",
]

Sex = Literal["L", "P"]

# --- born before ~1975: mostly one name ------------------------------------------------------
OLD_FEMALE_SINGLE: tuple[str, ...] = (
    "Warsini",
    "Tarsih",
    "Darsih",
    "Castini",
    "Carmi",
    "Sumiati",
    "Suminah",
    "Kasiyem",
    "Tasmini",
    "Rusmini",
    "Saminah",
    "Wartini",
    "Kartinah",
    "Sunarti",
    "Suparti",
    "Sulastri",
    "Rasinah",
    "Wasiah",
    "Daryati",
    "Sukarsih",
    "Warsih",
    "Tarini",
    "Casriah",
    "Rumini",
    "Sutinah",
    "Wasimah",
    "Karsinah",
    "Dasem",
    "Rukiyah",
    "Muntamah",
)
OLD_MALE_SINGLE: tuple[str, ...] = (
    "Slamet",
    "Sutrisno",
    "Casmadi",
    "Carsono",
    "Darsono",
    "Warsito",
    "Tarno",
    "Kasmadi",
    "Rasidi",
    "Tarjo",
    "Sukirman",
    "Wagino",
    "Sumarno",
    "Taryono",
    "Kusnadi",
    "Karsono",
    "Rasmad",
    "Sanwani",
    "Carlim",
    "Darmuji",
    "Tasdik",
    "Wartono",
    "Casmudi",
    "Dulrohim",
    "Rasman",
    "Kardi",
    "Sarmin",
    "Tarmuji",
    "Warjo",
    "Sukendar",
)
OLD_FEMALE_SECOND: tuple[str, ...] = ("Aminah", "Fatimah", "Rahayu", "Lestari", "Maesaroh")
OLD_MALE_SECOND: tuple[str, ...] = ("Hadi", "Raharjo", "Suroso", "Mulyono", "Sugiarto")

# --- born ~1975–1999: two elements -----------------------------------------------------------
MID_FEMALE_FIRST: tuple[str, ...] = (
    "Siti",
    "Sri",
    "Dwi",
    "Tri",
    "Eka",
    "Nur",
    "Endang",
    "Dewi",
    "Ratna",
    "Rina",
    "Yuni",
    "Umi",
    "Eni",
    "Tuti",
    "Lilis",
    "Nining",
    "Wulan",
    "Indah",
    "Fitri",
    "Ani",
    "Lia",
    "Nia",
)
MID_FEMALE_SECOND: tuple[str, ...] = (
    "Rahayu",
    "Lestari",
    "Wahyuni",
    "Handayani",
    "Astuti",
    "Suryani",
    "Fatimah",
    "Khasanah",
    "Aminah",
    "Maesaroh",
    "Rohmah",
    "Kurniasih",
    "Susanti",
    "Yuliani",
    "Purwanti",
    "Sulistyowati",
    "Hidayati",
    "Nurhayati",
    "Setyaningsih",
    "Wulandari",
    "Khotimah",
    "Muawanah",
    "Rokhayah",
    "Sholikhah",
    "Ernawati",
    "Ningsih",
    "Rahmawati",
)
MID_MALE_FIRST: tuple[str, ...] = (
    "Eko",
    "Dwi",
    "Tri",
    "Agus",
    "Budi",
    "Wahyu",
    "Heri",
    "Didik",
    "Rudi",
    "Teguh",
    "Sugeng",
    "Joko",
    "Bambang",
    "Nur",
    "Ahmad",
    "Imam",
    "Arif",
    "Dedi",
    "Hendro",
    "Yusuf",
    "Khoirul",
    "Mohamad",
    "Slamet",
    "Edi",
    "Toni",
)
MID_MALE_SECOND: tuple[str, ...] = (
    "Santoso",
    "Prasetyo",
    "Setiawan",
    "Nugroho",
    "Wibowo",
    "Susanto",
    "Purnomo",
    "Haryanto",
    "Hidayat",
    "Kurniawan",
    "Riyanto",
    "Sutrisno",
    "Pranoto",
    "Suprapto",
    "Triyono",
    "Mulyono",
    "Sulistyo",
    "Rohman",
    "Khoirudin",
    "Mustofa",
    "Saefudin",
    "Maulana",
    "Fauzi",
    "Arifin",
    "Sodikin",
    "Rosyid",
    "Hermanto",
)

# --- born 2000 onwards -----------------------------------------------------------------------
YOUNG_FEMALE_FIRST: tuple[str, ...] = (
    "Nabila",
    "Aulia",
    "Salsabila",
    "Keysha",
    "Naura",
    "Zahra",
    "Putri",
    "Ayu",
    "Anisa",
    "Nurul",
    "Dinda",
    "Nadia",
    "Amelia",
    "Rizka",
    "Intan",
    "Citra",
    "Vina",
    "Dela",
    "Syifa",
    "Alya",
    "Khansa",
    "Azkia",
    "Hana",
    "Laila",
    "Safira",
    "Nayla",
    "Fika",
    "Tiara",
)
YOUNG_FEMALE_SECOND: tuple[str, ...] = (
    "Putri",
    "Rahmawati",
    "Ramadhani",
    "Safitri",
    "Aprilia",
    "Nur Aini",
    "Azzahra",
    "Maharani",
    "Pratiwi",
    "Lestari",
    "Oktaviani",
    "Febriani",
    "Kusuma",
    "Anggraini",
    "Fitriani",
    "Khoirunnisa",
    "Amalia",
    "Wulandari",
    "Agustina",
    "Salsabila",
    "Nuraini",
    "Zulfa",
)
YOUNG_MALE_FIRST: tuple[str, ...] = (
    "Rizki",
    "Fajar",
    "Bayu",
    "Dimas",
    "Aditya",
    "Alif",
    "Fadil",
    "Yoga",
    "Rafi",
    "Akbar",
    "Ilham",
    "Dafa",
    "Arya",
    "Galih",
    "Reza",
    "Satria",
    "Farhan",
    "Hafiz",
    "Naufal",
    "Rehan",
    "Azka",
    "Fathur",
    "Bima",
    "Danu",
    "Gilang",
    "Ikhsan",
)
YOUNG_MALE_SECOND: tuple[str, ...] = (
    "Saputra",
    "Pratama",
    "Ramadhan",
    "Maulana",
    "Firmansyah",
    "Hidayat",
    "Nugraha",
    "Setiawan",
    "Prasetyo",
    "Kurniawan",
    "Putra",
    "Febrian",
    "Syahputra",
    "Alfarizi",
    "Wicaksono",
    "Adi Nugroho",
    "Fadillah",
    "Rizqullah",
    "Mubarok",
    "Hakim",
)
YOUNG_MALE_PREFIX = "Muhammad"

FAMOUS_NAMES: frozenset[str] = frozenset(
    name.casefold()
    for name in (
        "Sri Mulyani",
        "Joko Widodo",
        "Tri Rismaharini",
        "Eko Patrio",
        "Slamet Riyadi",
        "Siti Nurbaya",
        "Siti Nurhaliza",
        "Dewi Sartika",
        "Dewi Persik",
        "Ahmad Dahlan",
        "Ahmad Dhani",
        "Ahmad Yani",
        "Agus Salim",
        "Bambang Pamungkas",
        "Budi Gunadi Sadikin",
        "Wahyu Setiawan",
        "Eko Yuli Irawan",
        "Retno Marsudi",
        "Susi Pudjiastuti",
        "Ganjar Pranowo",
        "Prabowo Subianto",
        "Megawati Soekarnoputri",
        "Mohamad Hatta",
        "Muhammad Hatta",
        "Budi Santoso",
        "Rina Nose",
    )
)
"""Well-known real people's names the generator never emits (it draws again instead)."""


def _pick(rng: random.Random, seq: tuple[str, ...]) -> str:
    return seq[int(rng.random() * len(seq))]


def _compose(rng: random.Random, sex: Sex, birth_year: int) -> str:
    female = sex == "P"
    if birth_year < 1975:
        if rng.random() < 0.8:
            return _pick(rng, OLD_FEMALE_SINGLE if female else OLD_MALE_SINGLE)
        first = _pick(rng, OLD_FEMALE_SINGLE if female else OLD_MALE_SINGLE)
        return f"{first} {_pick(rng, OLD_FEMALE_SECOND if female else OLD_MALE_SECOND)}"
    if birth_year < 2000:
        roll = rng.random()
        if roll < 0.12:
            return _pick(rng, OLD_FEMALE_SINGLE if female else OLD_MALE_SINGLE)
        first = _pick(rng, MID_FEMALE_FIRST if female else MID_MALE_FIRST)
        second = _pick(rng, MID_FEMALE_SECOND if female else MID_MALE_SECOND)
        return f"{first} {second}"
    first = _pick(rng, YOUNG_FEMALE_FIRST if female else YOUNG_MALE_FIRST)
    second = _pick(rng, YOUNG_FEMALE_SECOND if female else YOUNG_MALE_SECOND)
    if first == second or second.startswith(first):
        second = _pick(rng, YOUNG_FEMALE_SECOND if female else YOUNG_MALE_SECOND)
    if not female and rng.random() < 0.2:
        return f"{YOUNG_MALE_PREFIX} {first} {second}"
    return f"{first} {second}"


def make_name(rng: random.Random, sex: Sex, birth_year: int) -> str:
    """Return a synthetic Javanese name fitting a sex and a generation.

    Args:
        rng: The seeded random source.
        sex: ``"L"`` (laki-laki) or ``"P"`` (perempuan).
        birth_year: Year of birth; picks the generation's naming style.

    Returns:
        One to three name elements, never one of :data:`FAMOUS_NAMES`.
    """
    while True:
        name = _compose(rng, sex, birth_year)
        parts = name.split()
        if len(parts) > 1 and parts[0] == parts[-1]:
            continue
        if name.casefold() not in FAMOUS_NAMES:
            return name


def initials(name: str) -> str:
    """Return the initials of a name, e.g. ``"S.R."`` for ``"Sri Rahayu"``."""
    return "".join(f"{part[0]}." for part in name.split() if part)
