"""Seeded generator of synthetic case and outreach documents (the contract of record-format.md).

Every value comes from one ``random.Random(seed)`` and every date is counted back from a fixed
``today`` (never the wall clock), so the same arguments always give the same documents. Cases are
drawn from a shuffled deck of *scenarios* (domestic violence, child sexual abuse, online sexual
violence, neglect, child labour, TPPO of fishing crews, domestic workers, online-scam workers,
...) in fixed proportions, so any 100 consecutive cases contain every scenario and every
violence type. Narratives are short factual kronologi in Indonesian, assembled from templates;
names are built from parts (:mod:`simpul.synthetic.names`), so no document describes a real
person.
"""

from __future__ import annotations

import bisect
import itertools
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any, Generic, TypeVar

from simpul.records.taxonomy import load_taxonomy
from simpul.records.wilayah import Village, load_regions
from simpul.synthetic.names import Sex, initials, make_name

__all__ = [
    "DEFAULT_TODAY",
    "generate_cases",
    "generate_outreach",
    "make_template",
]

DEFAULT_TODAY = date(2026, 11, 1)
"""The ``today`` documents are dated against unless the caller gives one (reproducibility)."""

HISTORY_DAYS = 730
"""Reports and activities fall within this many days before ``today``."""

T = TypeVar("T")

_EPOCH = date(1970, 1, 1).toordinal()
_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_COUNT_WORDS = {2: "dua", 3: "tiga"}


# --------------------------------------------------------------------------- random helpers


class _Weighted(Generic[T]):
    """A fixed weighted choice (cumulative weights precomputed once)."""

    __slots__ = ("_items", "_cum", "_total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self._items = [item for item, _ in pairs]
        self._cum = list(itertools.accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1]

    def draw(self, rng: random.Random) -> T:
        return self._items[bisect.bisect_right(self._cum, rng.random() * self._total)]


class _Dice:
    """Thin, fast helpers over one ``random.Random``."""

    __slots__ = ("rng", "random")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.random = rng.random

    def chance(self, p: float) -> bool:
        return self.random() < p

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        return lo + int(self.random() * (hi - lo + 1))

    def some(self, seq: Sequence[T], lo: int, hi: int) -> list[T]:
        """Return ``lo``..``hi`` distinct items of ``seq``, in ``seq`` order."""
        n = len(seq)
        want = self.between(lo, min(hi, n))
        out: list[T] = []
        # Selection sampling (Knuth, TAOCP 3.4.2 algorithm S): one draw per item, order kept.
        random = self.random
        for i, item in enumerate(seq):
            if random() * (n - i) < want - len(out):
                out.append(item)
        return out

    def draw(self, table: _Weighted[T]) -> T:
        return table.draw(self.rng)


class _Deck(Generic[T]):
    """Items in fixed proportions, dealt in shuffled rounds, so every round holds them all."""

    def __init__(self, dice: _Dice, pairs: Sequence[tuple[T, int]]) -> None:
        self._dice = dice
        self._round = [item for item, count in pairs for _ in range(count)]
        self._cards: list[T] = []

    def deal(self) -> T:
        if not self._cards:
            self._cards = list(self._round)
            self._dice.rng.shuffle(self._cards)
        return self._cards.pop()


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class _Geo:
    villages: tuple[Village, ...]
    by_kecamatan: dict[str, tuple[Village, ...]]


@cache
def _geo() -> _Geo:
    regions = load_regions()
    villages = tuple(regions.villages())
    by_kecamatan: dict[str, list[Village]] = {}
    for village in villages:
        by_kecamatan.setdefault(village.kecamatan_code, []).append(village)
    return _Geo(villages, {k: tuple(v) for k, v in by_kecamatan.items()})


def _village_label(village: Village) -> str:
    return f"{'Kelurahan' if village.kind == 'kelurahan' else 'Desa'} {village.name}"


_DUSUN = (
    "Krajan",
    "Karangasem",
    "Sidomulyo",
    "Kebonsari",
    "Kauman",
    "Karanganyar",
    "Sidorejo",
    "Tegalsari",
    "Banjarsari",
    "Wanarejo",
    "Kedungringin",
    "Pesantren",
    "Karangtengah",
    "Sukamaju",
    "Cikadu",
    "Kaliwadas",
    "Dukuhringin",
    "Kalimati",
    "Gunungtelu",
    "Sawangan",
)
_STREETS = (
    "Jl. Melati",
    "Jl. Anggrek",
    "Jl. Mawar",
    "Jl. Kenanga",
    "Jl. Flamboyan",
    "Jl. Cempaka",
    "Jl. Nangka",
    "Jl. Sawo",
    "Jl. Rambutan",
    "Jl. Dahlia",
)
_OUT_OF_TOWN = ("Jakarta", "Bekasi", "Tangerang", "Bandung", "Surabaya", "Batam", "Cikarang")


def _address(dice: _Dice, village: Village) -> str:
    rt, rw = dice.between(1, 9), dice.between(1, 6)
    if village.kind == "kelurahan":
        return f"{dice.pick(_STREETS)} Gg. {dice.between(1, 9)}, RT {rt:03d}/RW {rw:03d}"
    return f"RT {rt:03d}/RW {rw:03d}, Dusun {dice.pick(_DUSUN)}"


def _id_date(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _approx_date(d: date) -> str:
    part = "awal" if d.day <= 10 else ("pertengahan" if d.day <= 20 else "akhir")
    return f"{part} {_MONTHS[d.month - 1]} {d.year}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


# --------------------------------------------------------------------------- people

_ADULT_JOBS_P = (
    "Ibu rumah tangga",
    "Ibu rumah tangga",
    "Buruh tani",
    "Pedagang",
    "Buruh pabrik garmen",
    "Karyawan toko",
    "Penjahit",
    "Buruh harian lepas",
    "Guru honorer",
    "Tidak bekerja",
    "Purna pekerja migran",
    "Pengrajin anyaman",
)
_ADULT_JOBS_L = (
    "Buruh tani",
    "Nelayan",
    "Petani",
    "Buruh bangunan",
    "Pedagang",
    "Sopir",
    "Buruh pabrik",
    "Wiraswasta",
    "Tidak bekerja",
    "Karyawan swasta",
    "Tukang ojek",
    "Buruh harian lepas",
)
_DISABILITY_TYPES = ("fisik", "intelektual", "mental", "sensorik")

# Relationship codes that fix the perpetrator's sex.
_REL_SEX: dict[str, Sex] = {
    "ayah_kandung": "L",
    "ayah_tiri": "L",
    "ayah_angkat": "L",
    "ibu_kandung": "P",
    "ibu_tiri": "P",
    "ibu_angkat": "P",
    "kakek": "L",
    "nenek": "P",
    "paman": "L",
    "bibi": "P",
    "suami": "L",
    "istri": "P",
    "mantan_suami": "L",
    "mantan_istri": "P",
}
_REL_TEXT = {
    "guru_ngaji": "guru ngaji",
    "teman_online": "teman media sosial",
    "calo_sponsor": "calo/sponsor tenaga kerja",
    "orang_tak_dikenal": "orang yang tidak dikenal",
    "tokoh_agama_masyarakat": "tokoh masyarakat",
    "lainnya": "pihak lain",
    "tidak_diketahui": "pihak yang belum diketahui",
    "keluarga_lain": "anggota keluarga",
}
_FAMILY = frozenset(
    (
        "ayah_kandung",
        "ayah_tiri",
        "ayah_angkat",
        "ibu_kandung",
        "ibu_tiri",
        "ibu_angkat",
        "kakek",
        "nenek",
        "paman",
        "bibi",
        "saudara_kandung",
        "saudara_tiri",
        "sepupu",
        "ipar",
        "keluarga_lain",
        "suami",
        "istri",
        "mantan_suami",
        "mantan_istri",
        "pengasuh",
    )
)


@cache
def _rel_text(code: str) -> str:
    return _REL_TEXT.get(code) or load_taxonomy().label("relationship", code).lower()


@dataclass(slots=True)
class _Victim:
    age: int
    sex: Sex
    name: str
    marital: str | None = None
    occupation: str | None = None
    pregnant: bool = False
    types: list[str] | None = None
    disability_p: float = 0.05
    out_of_school: bool = False
    domicile: Village | None = None


@dataclass(slots=True)
class _Perp:
    sex: Sex
    age: int
    rels: list[str]
    occupation: str | None = None
    name: str | None = None
    estimated: bool = True


def _victims_text(victims: Sequence[_Victim]) -> str:
    def one(v: _Victim) -> str:
        if v.age < 18:
            who = "anak perempuan" if v.sex == "P" else "anak laki-laki"
        else:
            who = "perempuan" if v.sex == "P" else "laki-laki"
        return f"{who}, {v.age} tahun"

    if len(victims) == 1:
        return f"korban ({one(victims[0])})"
    return f"{_COUNT_WORDS[len(victims)]} korban ({'; '.join(one(v) for v in victims)})"


def _perp_text(perp: _Perp) -> str:
    rel = perp.rels[0]
    if rel in ("orang_tak_dikenal", "tidak_diketahui"):
        who = "laki-laki" if perp.sex == "L" else "perempuan"
        return f"seorang {who} yang tidak dikenal korban"
    return f"terlapor, {_rel_text(rel)} korban"


# --------------------------------------------------------------------------- stories


@dataclass(slots=True)
class _Story:
    """What a scenario decides; :class:`_CaseMaker` turns it into a document."""

    types: list[str]
    victims: list[_Victim]
    perps: list[_Perp]
    place: str
    incident_on: date
    sentences: list[str]
    approx: bool = False
    tpks: list[str] = field(default_factory=list)
    kdrt: bool = False
    online: bool = False
    channels: tuple[tuple[str, float], ...] = ()
    kin: str = "Keluarga korban"
    tppo: dict[str, Any] | None = None
    legal: float = 0.3
    care: tuple[str, ...] = ()
    urgent: str | None = None
    mediation_ok: bool = False
    guardian: str | None = None
    abroad: bool = False


_CHANNELS_DEFAULT = (
    ("datang_langsung", 5.0),
    ("sapa129_telepon", 1.5),
    ("sapa129_whatsapp", 2.0),
    ("patbm_kader", 3.0),
    ("rujukan_faskes", 0.8),
    ("polisi", 0.6),
    ("media", 0.3),
    ("lainnya", 0.5),
)
_CHANNELS_CHILD = (
    ("datang_langsung", 4.0),
    ("sapa129_whatsapp", 1.5),
    ("sapa129_telepon", 1.0),
    ("patbm_kader", 3.0),
    ("rujukan_sekolah", 3.0),
    ("rujukan_faskes", 1.0),
    ("polisi", 0.8),
    ("lainnya", 0.4),
)
_CHANNELS_TPPO = (
    ("datang_langsung", 4.0),
    ("sapa129_whatsapp", 2.0),
    ("sapa129_telepon", 1.0),
    ("polisi", 1.5),
    ("media", 1.0),
    ("patbm_kader", 1.0),
    ("lainnya", 1.0),
)


# Perpetrator age per relationship: (relative to the victim's age?, low, high).
_CHILD_SEX_PERP_AGES: dict[str, tuple[bool, int, int]] = {
    "tetangga": (False, 20, 65),
    "ayah_tiri": (True, 22, 40),
    "ayah_kandung": (True, 22, 40),
    "paman": (True, 12, 35),
    "kakek": (True, 40, 58),
    "guru_ngaji": (False, 25, 60),
    "guru": (False, 25, 55),
    "pacar": (True, 0, 6),
    "teman": (True, -1, 2),
    "teman_online": (False, 17, 35),
    "orang_tak_dikenal": (False, 20, 50),
    "saudara_tiri": (True, 2, 12),
    "sepupu": (True, 1, 12),
}


class _StoryTeller:
    """Scenario functions; each returns a :class:`_Story` for a report date."""

    def __init__(self, dice: _Dice) -> None:
        self.d = dice

    # -- shared helpers ---------------------------------------------------------------------

    def victim(self, rep: date, age: int, sex: Sex, **kw: Any) -> _Victim:
        name = make_name(self.d.rng, sex, rep.year - age)
        return _Victim(age=age, sex=sex, name=name, **kw)

    def perp(
        self,
        rep: date,
        rels: list[str],
        *,
        age: int,
        sex: Sex | None = None,
        occupation: str | None = None,
        known: bool = True,
    ) -> _Perp:
        d = self.d
        sex = sex or _REL_SEX.get(rels[0]) or ("L" if d.chance(0.85) else "P")
        age = max(10, min(age, 85))
        name: str | None = None
        if known:
            full = make_name(d.rng, sex, rep.year - age)
            roll = d.random()
            if age < 18:
                name = initials(full) if roll < 0.8 else None  # child perpetrators: UU SPPA
            elif roll < 0.55:
                name = full
            elif roll < 0.8:
                name = initials(full)
        if occupation is None and age >= 18:
            occupation = d.pick(_ADULT_JOBS_L if sex == "L" else _ADULT_JOBS_P)
        elif occupation is None:
            occupation = "Pelajar" if d.chance(0.8) else "Tidak bekerja"
        estimated = not known or d.chance(0.4)
        return _Perp(sex, age, rels, occupation, name, estimated)

    def when(self, rep: date, lo: int, hi: int) -> tuple[date, bool, str]:
        """Return an incident date ``lo``..``hi`` days before ``rep``, its approx flag, a phrase."""
        delay = self.d.between(lo, hi)
        incident = rep - timedelta(days=delay)
        approx = delay > 45 and self.d.chance(0.7)
        phrase = f"Sekitar {_approx_date(incident)}" if approx else f"Pada {_id_date(incident)}"
        return incident, approx, phrase

    def kin(self, victim: _Victim) -> str:
        """Return a family member who would report for this victim."""
        if victim.age < 18 or victim.marital != "menikah":
            return self.d.pick(("Ibu kandung korban", "Kakak kandung korban"))
        spouse = "Istri korban" if victim.sex == "L" else "Suami korban"
        return self.d.pick((spouse, "Ibu kandung korban", "Kakak kandung korban"))

    def adult_job(self, sex: Sex) -> str:
        return self.d.pick(_ADULT_JOBS_L if sex == "L" else _ADULT_JOBS_P)

    # -- domestic violence against a wife -----------------------------------------------------

    def kdrt_istri(self, rep: date) -> _Story:
        d = self.d
        age = d.between(20, 55)
        wife = self.victim(
            rep,
            age,
            "P",
            marital="nikah_siri" if d.chance(0.1) else "menikah",
            occupation=self.adult_job("P"),
            pregnant=age < 40 and d.chance(0.06),
        )
        victims = [wife]
        rels = ["suami"]
        if age >= 24 and d.chance(0.2):
            child_age = d.between(3, min(15, age - 18))
            victims.append(self.victim(rep, child_age, d.pick(("L", "P")), types=["psikis"]))
            rels.append("ayah_kandung" if d.chance(0.8) else "ayah_tiri")
        husband = self.perp(rep, rels, age=age + d.between(0, 10))
        if d.chance(0.15):
            types = ["psikis"]
        else:
            types = ["fisik"]
            if d.chance(0.75):
                types.append("psikis")
        if d.chance(0.2):
            types.append("penelantaran")
        if len(victims) > 1 and "psikis" not in types:
            types.append("psikis")  # the child witness's own violence type
        incident, approx, when = self.when(rep, 0, 14 if d.chance(0.85) else 120)
        s: list[str] = []
        if "fisik" in types:
            s.append(
                d.pick(
                    (
                        f"{when}, terjadi pertengkaran di rumah dan terlapor, suami korban, diduga "
                        "memukul korban sehingga korban mengalami memar di lengan.",
                        f"{when}, terlapor, suami korban, diduga mendorong dan menampar korban "
                        "ketika korban menanyakan uang belanja.",
                        f"{when}, terlapor, suami korban, pulang dalam keadaan marah dan diduga "
                        "melakukan kekerasan fisik terhadap korban.",
                    )
                )
            )
        else:
            s.append(
                f"{when}, terlapor, suami korban, kembali memaki dan mengancam akan mengusir "
                "korban dari rumah."
            )
        if "psikis" in types and "fisik" in types:
            s.append(
                d.pick(
                    (
                        "Korban menyampaikan sering dimaki dan diancam akan diceraikan.",
                        "Terlapor kerap merendahkan korban di depan anak-anak dan tetangga.",
                        "Korban dilarang bertemu keluarganya dan telepon genggamnya sering "
                        "diperiksa.",
                    )
                )
            )
        if "penelantaran" in types:
            s.append("Sejak beberapa bulan terakhir terlapor tidak memberikan nafkah rumah tangga.")
        if len(victims) > 1:
            s.append(
                f"Anak korban ({victims[1].age} tahun) menyaksikan kejadian tersebut dan kini "
                "tampak ketakutan."
            )
        if d.chance(0.4):
            s.append(
                f"Menurut korban, kejadian serupa sudah terjadi beberapa kali sejak "
                f"{rep.year - d.between(1, 4)}."
            )
        if wife.pregnant:
            s.append("Korban sedang hamil dan telah diperiksa oleh bidan desa.")
        urgent = None
        if "fisik" in types and d.chance(0.35):
            urgent = d.pick(
                (
                    "Terlapor masih tinggal serumah dengan korban; korban sementara tinggal di "
                    "rumah orang tuanya.",
                    "Terlapor mengancam akan mengulangi perbuatannya jika korban melapor.",
                )
            )
        return _Story(
            types=types,
            victims=victims,
            perps=[husband],
            place="rumah_tangga",
            incident_on=incident,
            approx=approx,
            sentences=s,
            kdrt=True,
            channels=_CHANNELS_DEFAULT,
            kin=d.pick(("Ibu kandung korban", "Kakak kandung korban")),
            legal=0.35,
            care=("kesehatan", "rehabilitasi_sosial", "bantuan_hukum", "pendampingan_tokoh_agama"),
            urgent=urgent,
            mediation_ok=len(victims) == 1,
            guardian="Ibu kandung",
        )

    # -- neglect of a wife and children --------------------------------------------------------

    def penelantaran_keluarga(self, rep: date) -> _Story:
        d = self.d
        age = d.between(22, 50)
        divorced = d.chance(0.35)
        mother = self.victim(
            rep,
            age,
            "P",
            marital="cerai_hidup" if divorced else "menikah",
            occupation=self.adult_job("P"),
        )
        victims = [mother]
        rels = ["mantan_suami" if divorced else "suami"]
        for _ in range(d.between(0, 2)):
            victims.append(self.victim(rep, d.between(2, min(12, age - 18)), d.pick(("L", "P"))))
            rels.append("ayah_kandung")
        father = self.perp(rep, rels, age=age + d.between(0, 8))
        types = ["penelantaran"] + (["psikis"] if d.chance(0.4) else [])
        incident, approx, when = self.when(rep, 30, 300)
        city = d.pick(_OUT_OF_TOWN)
        if divorced:
            s = [
                f"{when}, setelah bercerai, terlapor tidak lagi memberikan nafkah untuk "
                "korban dan anak-anaknya meskipun sudah diminta melalui perangkat desa."
            ]
        else:
            s = [
                f"{when}, terlapor, suami korban, pergi merantau ke {city} dan sejak itu tidak "
                "lagi memberikan nafkah kepada korban dan anak-anaknya."
            ]
        s.append(
            f"Korban kini menghidupi keluarganya dengan bekerja sebagai "
            f"{(mother.occupation or 'buruh harian lepas').lower()}."
        )
        if "psikis" in types:
            s.append("Terlapor juga mengirim pesan bernada ancaman ketika korban meminta nafkah.")
        return _Story(
            types=types,
            victims=victims,
            perps=[father],
            place="rumah_tangga",
            incident_on=incident,
            approx=approx,
            sentences=s,
            kdrt=True,
            channels=_CHANNELS_DEFAULT,
            kin="Ibu kandung korban",
            legal=0.1,
            care=("bantuan_hukum", "rehabilitasi_sosial", "pendampingan_tokoh_agama"),
            mediation_ok=len(victims) == 1,
            guardian="Ibu kandung",
        )

    # -- sexual violence against children ---------------------------------------------------

    _CHILD_SEX_PERPS = _Weighted(
        [
            ("tetangga", 5.0),
            ("ayah_tiri", 2.0),
            ("ayah_kandung", 1.0),
            ("paman", 1.5),
            ("kakek", 0.8),
            ("guru_ngaji", 1.5),
            ("guru", 1.0),
            ("pacar", 2.5),
            ("teman", 1.2),
            ("teman_online", 1.5),
            ("orang_tak_dikenal", 1.0),
            ("saudara_tiri", 0.5),
            ("sepupu", 0.7),
        ]
    )

    def seksual_anak(self, rep: date) -> _Story:
        d = self.d
        rel = d.draw(self._CHILD_SEX_PERPS)
        lo_age = 13 if rel in ("pacar", "teman_online") else (10 if rel == "teman" else 4)
        age = d.between(lo_age, 17)
        sex: Sex = "P" if d.chance(0.85) else "L"
        n_victims = (
            d.between(2, 3) if rel in ("guru_ngaji", "guru", "tetangga") and d.chance(0.25) else 1
        )
        victims = [self.victim(rep, age, sex, disability_p=0.1)]
        for _ in range(n_victims - 1):
            victims.append(
                self.victim(rep, max(4, min(17, age + d.between(-2, 2))), sex, disability_p=0.1)
            )
        rels = [rel] * n_victims
        relative, lo, hi = _CHILD_SEX_PERP_AGES[rel]
        perp_age = (age if relative else 0) + d.between(lo, hi)
        occupation = {"guru_ngaji": "Guru ngaji", "guru": "Guru"}.get(rel)
        perps = [
            self.perp(
                rep,
                rels,
                age=perp_age,
                sex="L",
                occupation=occupation,
                known=rel != "orang_tak_dikenal",
            )
        ]
        if rel in ("pacar", "teman") and d.chance(0.3):
            perps.append(
                self.perp(rep, ["teman"] * n_victims, age=perp_age + d.between(-1, 2), sex="L")
            )
        types = ["seksual"]
        if d.chance(0.5):
            types.append("psikis")
        if d.chance(0.12):
            types.append("fisik")
        roll = d.random()
        tpks = (
            ["pelecehan_seksual_fisik"]
            if roll < 0.6
            else (["pelecehan_seksual_nonfisik"] if roll < 0.7 else [])
        )
        online = rel == "teman_online"
        if online:
            tpks.append("kekerasan_seksual_berbasis_elektronik")
        if rel in _FAMILY:
            place = "rumah_tangga"
        elif rel == "guru":
            place = "sekolah" if d.chance(0.75) else "lembaga_pendidikan_kilat"  # a tutor
        elif rel == "guru_ngaji":
            place = "lembaga_pendidikan_kilat" if d.chance(0.7) else "rumah_tangga"
        elif rel in ("orang_tak_dikenal", "pacar", "teman", "teman_online"):
            place = d.pick(("fasilitas_umum", "rumah_tangga", "lainnya"))
        else:
            place = d.pick(("rumah_tangga", "fasilitas_umum"))
        incident, approx, when = self.when(rep, 0, 30 if d.chance(0.8) else 365)
        who = _victims_text(victims)
        s = [f"{when}, {who} diduga mengalami kekerasan seksual oleh {_perp_text(perps[0])}."]
        context = {
            "tetangga": "Terlapor mengajak korban ke rumahnya dengan alasan meminta bantuan.",
            "guru_ngaji": "Kejadian terjadi setelah kegiatan mengaji sore.",
            "guru": "Terlapor meminta korban tetap tinggal di kelas setelah jam pelajaran.",
            "pacar": "Korban dan terlapor berkenalan beberapa bulan sebelumnya dan berpacaran.",
            "teman": "Korban diajak teman-temannya berkumpul di rumah kosong.",
            "teman_online": "Korban berkenalan dengan terlapor melalui media sosial, kemudian "
            "diajak bertemu dan diminta mengirim foto pribadi.",
            "orang_tak_dikenal": "Korban dihampiri terlapor saat pulang sekolah melalui "
            "jalan desa yang sepi.",
        }.get(rel, "Kejadian berlangsung di rumah saat ibu korban sedang bekerja.")
        s.append(context)
        first = victims[0]
        if first.sex == "P" and first.age >= 13 and d.chance(0.1):
            first.pregnant = True
            s.append("Korban saat ini diketahui hamil dan telah diperiksa bidan desa.")
        else:
            confidants = (
                ("ibunya", "neneknya", "kakaknya")
                if first.age < 10
                else ("ibunya", "wali kelasnya", "kakaknya", "neneknya", "guru BK")
            )
            s.append(f"Kejadian diketahui setelah korban bercerita kepada {d.pick(confidants)}.")
        s.append(
            d.pick(
                (
                    "Korban tampak murung dan enggan berangkat sekolah.",
                    "Korban mengalami trauma dan takut bertemu terlapor.",
                    "Korban sulit tidur dan sering menangis sejak kejadian.",
                )
            )
        )
        household = rel in ("ayah_tiri", "ayah_kandung", "kakek", "saudara_tiri")
        urgent = (
            "Terlapor tinggal serumah dengan korban; korban sementara diasuh neneknya."
            if household and d.chance(0.6)
            else None
        )
        return _Story(
            types=types,
            victims=victims,
            perps=perps,
            place=place,
            incident_on=incident,
            approx=approx,
            sentences=s,
            tpks=tpks,
            kdrt=rel in _FAMILY,
            online=online,
            channels=_CHANNELS_CHILD,
            kin="Ibu kandung korban",
            legal=0.85,
            care=("kesehatan", "rehabilitasi_sosial", "bantuan_hukum", "penegakan_hukum"),
            urgent=urgent,
            guardian="Ibu kandung",
        )

    # -- online sexual violence (KSBE) --------------------------------------------------------

    def ksbe(self, rep: date) -> _Story:
        d = self.d
        sex: Sex = "P" if d.chance(0.85) else "L"
        age = d.between(14, 30)
        victim = self.victim(
            rep, age, sex, marital="belum_menikah" if age < 24 or d.chance(0.5) else "menikah"
        )
        rel = d.pick(("mantan_pacar", "mantan_pacar", "teman_online", "pacar", "orang_tak_dikenal"))
        perp_sex: Sex = "L" if sex == "P" else ("P" if d.chance(0.5) else "L")
        known = rel != "orang_tak_dikenal"
        perp = self.perp(rep, [rel], age=max(15, age + d.between(-2, 6)), sex=perp_sex, known=known)
        tpks = ["kekerasan_seksual_berbasis_elektronik"]
        if d.chance(0.3):
            tpks.insert(0, "pelecehan_seksual_nonfisik")
        incident, approx, when = self.when(rep, 0, 60)
        if rel == "orang_tak_dikenal":
            s = [
                f"{when}, {_victims_text([victim])} menerima pesan bernada seksual berulang kali "
                "dari akun media sosial yang tidak dikenal, disertai ancaman penyebaran foto "
                "yang diambil dari akun korban."
            ]
        elif rel == "mantan_pacar":
            s = [
                f"{when}, terlapor, mantan pacar korban, diduga menyebarkan foto pribadi "
                f"{_victims_text([victim])} melalui grup WhatsApp setelah hubungan mereka berakhir."
            ]
        else:
            s = [
                f"{when}, terlapor, {_rel_text(rel)} korban, mengancam akan menyebarkan foto "
                f"pribadi {_victims_text([victim])} jika korban tidak mengirim uang."
            ]
        s.append("Korban telah menyimpan tangkapan layar percakapan sebagai bukti.")
        s.append(
            d.pick(
                (
                    "Korban merasa malu dan cemas, serta menutup akun media sosialnya.",
                    "Korban takut keluar rumah karena foto tersebut sudah dilihat teman-temannya.",
                )
            )
        )
        return _Story(
            types=["seksual", "psikis"],
            victims=[victim],
            perps=[perp],
            place="lainnya",
            incident_on=incident,
            approx=approx,
            sentences=s,
            tpks=tpks,
            online=True,
            channels=_CHANNELS_CHILD if age < 18 else _CHANNELS_DEFAULT,
            kin="Ibu kandung korban",
            legal=0.6,
            care=("rehabilitasi_sosial", "bantuan_hukum", "penegakan_hukum"),
            guardian="Ibu kandung",
        )

    # -- sexual harassment at work ----------------------------------------------------------

    def pelecehan_kerja(self, rep: date) -> _Story:
        d = self.d
        age = d.between(18, 45)
        job, workplace = d.pick(
            (
                ("Buruh pabrik garmen", "pabrik garmen di Kecamatan Petarukan"),
                ("Karyawan toko", "toko swalayan di pusat kota"),
                ("Pelayan rumah makan", "rumah makan di jalur pantura"),
                ("Buruh pengolahan ikan", "usaha pengolahan ikan asin"),
            )
        )
        victim = self.victim(
            rep,
            age,
            "P",
            occupation=job,
            marital=d.pick(("belum_menikah", "menikah", "cerai_hidup")),
        )
        rel = d.pick(("majikan", "rekan_kerja", "rekan_kerja"))
        perp = self.perp(
            rep,
            [rel],
            sex="L",
            age=d.between(35, 60) if rel == "majikan" else d.between(20, 50),
            occupation="Pemilik usaha" if rel == "majikan" else "Mandor",
        )
        physical = d.chance(0.6)
        incident, approx, when = self.when(rep, 0, 90)
        s = [
            f"{when}, {_victims_text([victim])} yang bekerja di {workplace} melaporkan bahwa "
            f"terlapor, {_rel_text(rel)} korban, "
            + (
                "beberapa kali menyentuh korban tanpa persetujuan."
                if physical
                else "sering melontarkan komentar bernada seksual dan mengirim pesan tidak pantas."
            ),
            "Korban takut kehilangan pekerjaan sehingga baru berani melapor.",
        ]
        types = ["seksual"] + (["psikis"] if d.chance(0.5) else [])
        return _Story(
            types=types,
            victims=[victim],
            perps=[perp],
            place="tempat_kerja",
            incident_on=incident,
            approx=approx,
            sentences=s,
            tpks=["pelecehan_seksual_fisik" if physical else "pelecehan_seksual_nonfisik"],
            channels=_CHANNELS_DEFAULT,
            kin="Kakak kandung korban",
            legal=0.5,
            care=("rehabilitasi_sosial", "bantuan_hukum", "penegakan_hukum"),
        )

    # -- physical and psychological violence against children at home -------------------------

    def kekerasan_anak(self, rep: date) -> _Story:
        d = self.d
        age = d.between(2, 14)
        victims = [self.victim(rep, age, d.pick(("L", "P")))]
        if d.chance(0.2):
            victims.append(
                self.victim(rep, max(2, min(14, age + d.between(-4, 4))), d.pick(("L", "P")))
            )
        rel = d.pick(
            (
                "ayah_kandung",
                "ayah_kandung",
                "ibu_kandung",
                "ayah_tiri",
                "ibu_tiri",
                "nenek",
                "pengasuh",
                "bibi",
            )
        )
        oldest = max(v.age for v in victims)
        perp_age = oldest + (d.between(40, 55) if rel == "nenek" else d.between(20, 35))
        perp = self.perp(
            rep, [rel] * len(victims), age=perp_age, sex="P" if rel == "pengasuh" else None
        )
        types = ["fisik"] + (["psikis"] if d.chance(0.7) else [])
        incident, approx, when = self.when(rep, 0, 21)
        s = [
            f"{when}, {_victims_text(victims)} diduga dipukul oleh {_perp_text(perp)}, "
            "karena dianggap nakal.",
            d.pick(
                (
                    "Tetangga sering mendengar korban dimarahi dengan kata-kata kasar.",
                    "Guru kelas melihat bekas memar di tangan korban dan menanyakannya.",
                    "Korban pernah dikunci di luar rumah pada malam hari.",
                )
            ),
        ]
        if rel.startswith("ayah"):
            guardian = "Ibu kandung"
        elif rel.startswith("ibu"):
            guardian = d.pick(("Ayah kandung", "Nenek (pengasuh)"))
        else:
            guardian = d.pick(("Ibu kandung", "Ayah kandung"))
        return _Story(
            types=types,
            victims=victims,
            perps=[perp],
            place="rumah_tangga",
            incident_on=incident,
            approx=approx,
            sentences=s,
            kdrt=True,
            channels=_CHANNELS_CHILD,
            kin="Tetangga korban",
            legal=0.3,
            care=("kesehatan", "rehabilitasi_sosial", "pendampingan_tokoh_agama"),
            urgent="Korban masih tinggal bersama terlapor." if d.chance(0.3) else None,
            guardian=guardian,
        )

    # -- neglect of children ------------------------------------------------------------------

    def penelantaran_anak(self, rep: date) -> _Story:
        d = self.d
        victims = [
            self.victim(rep, d.between(2, 12), d.pick(("L", "P")), out_of_school=d.chance(0.3))
            for _ in range(d.between(1, 3))
        ]
        oldest = max(v.age for v in victims)
        both = d.chance(0.4)
        perps = []
        if both or d.chance(0.6):
            perps.append(
                self.perp(rep, ["ayah_kandung"] * len(victims), age=oldest + d.between(20, 35))
            )
        if both or not perps:
            perps.append(
                self.perp(rep, ["ibu_kandung"] * len(victims), age=oldest + d.between(18, 32))
            )
        incident, approx, when = self.when(rep, 30, 365)
        away = d.pick(
            (
                "bekerja di Malaysia",
                "bekerja di Taiwan",
                f"merantau ke {d.pick(_OUT_OF_TOWN)}",
                "menikah lagi dan pindah ke luar kota",
            )
        )
        parents = (
            "kedua orang tuanya"
            if len(perps) == 2
            else ("ayahnya" if perps[0].rels[0] == "ayah_kandung" else "ibunya")
        )
        s = [
            f"{when}, {_victims_text(victims)} ditinggal {parents} yang {away} dan sejak itu "
            "tidak lagi menerima biaya hidup.",
            "Korban tinggal bersama neneknya yang sudah lanjut usia dan kesulitan memenuhi "
            "kebutuhan sehari-hari.",
        ]
        if any(v.out_of_school for v in victims):
            s.append("Salah satu korban tidak lagi bersekolah.")
        types = ["penelantaran"] + (["psikis"] if d.chance(0.3) else [])
        return _Story(
            types=types,
            victims=victims,
            perps=perps,
            place="rumah_tangga",
            incident_on=incident,
            approx=approx,
            sentences=s,
            kdrt=True,
            channels=_CHANNELS_CHILD,
            kin="Nenek korban",
            legal=0.05,
            care=("rehabilitasi_sosial", "reintegrasi_sosial"),
            guardian="Nenek (wali pengasuh)" if d.chance(0.7) else None,
        )

    # -- bullying at school ---------------------------------------------------------------------

    def perundungan(self, rep: date) -> _Story:
        d = self.d
        age = d.between(8, 16)
        sex: Sex = d.pick(("L", "P"))
        victim = self.victim(rep, age, sex)
        perps = [
            self.perp(
                rep, ["teman"], age=age + d.between(-1, 1), sex=sex if d.chance(0.7) else None
            )
            for _ in range(d.between(1, 2))
        ]
        types = ["psikis"] + (["fisik"] if d.chance(0.5) else [])
        incident, approx, when = self.when(rep, 0, 30)
        s = [
            f"{_capitalise(_victims_text([victim]))} mengaku sering diejek, dimintai uang, dan "
            "dikucilkan oleh teman sekelasnya.",
        ]
        if "fisik" in types:
            s.append(
                f"{when}, terlapor diduga mendorong korban hingga terjatuh di halaman sekolah."
            )
        else:
            s.append(f"{when}, terlapor mengunggah ejekan tentang korban di grup kelas.")
        s.append("Korban menolak berangkat sekolah selama beberapa hari.")
        return _Story(
            types=types,
            victims=[victim],
            perps=perps,
            place="sekolah",
            incident_on=incident,
            approx=approx,
            sentences=s,
            channels=_CHANNELS_CHILD,
            kin="Ibu kandung korban",
            legal=0.1,
            care=("rehabilitasi_sosial",),
            mediation_ok=True,
            guardian=d.pick(("Ibu kandung", "Ayah kandung")),
        )

    # -- dating violence ------------------------------------------------------------------------

    def pacaran(self, rep: date) -> _Story:
        d = self.d
        age = d.between(15, 25)
        victim = self.victim(rep, age, "P", marital="belum_menikah")
        perp = self.perp(rep, ["pacar"], sex="L", age=age + d.between(0, 5))
        types = ["fisik", "psikis"]
        tpks: list[str] = []
        if d.chance(0.2):
            types.append("seksual")
            tpks = ["pelecehan_seksual_fisik"]
        incident, approx, when = self.when(rep, 0, 30)
        s = [
            f"{when}, {_victims_text([victim])} diduga ditampar dan diancam oleh terlapor, "
            "pacarnya, karena cemburu.",
            "Terlapor kerap memeriksa telepon genggam korban dan melarang korban bergaul dengan "
            "teman-temannya.",
        ]
        if tpks:
            s.append(
                "Korban juga menyampaikan pernah dipaksa melakukan kontak fisik yang tidak "
                "diinginkannya."
            )
        return _Story(
            types=types,
            victims=[victim],
            perps=[perp],
            place=d.pick(("fasilitas_umum", "rumah_tangga")),
            incident_on=incident,
            approx=approx,
            sentences=s,
            tpks=tpks,
            channels=_CHANNELS_CHILD if age < 18 else _CHANNELS_DEFAULT,
            kin="Ibu kandung korban",
            legal=0.4,
            care=("kesehatan", "rehabilitasi_sosial", "bantuan_hukum"),
            mediation_ok=not tpks and age >= 18,
            guardian="Ibu kandung",
        )

    # -- economic exploitation of children --------------------------------------------------

    def eksploitasi_anak(self, rep: date) -> _Story:
        d = self.d
        age = d.between(7, 15)
        victim = self.victim(
            rep, age, d.pick(("L", "P")), out_of_school=d.chance(0.5), occupation="Pekerja anak"
        )
        rel = d.pick(("ibu_kandung", "ayah_kandung", "keluarga_lain", "majikan"))
        perp = self.perp(
            rep,
            [rel],
            age=age + d.between(20, 40),
            occupation="Pemilik usaha" if rel == "majikan" else None,
        )
        incident, approx, when = self.when(rep, 14, 200)
        if rel == "majikan":
            s = [
                f"{when}, {_victims_text([victim])} dipekerjakan terlapor di usaha pengeringan "
                "ikan asin lebih dari delapan jam sehari dengan upah yang sangat kecil.",
                "Korban bekerja pada jam sekolah sehingga sering tidak masuk sekolah.",
            ]
            place = "tempat_kerja"
        else:
            s = [
                f"{when}, {_victims_text([victim])} diminta {_perp_text(perp)}, untuk "
                + d.pick(
                    (
                        "berjualan tisu di perempatan jalan",
                        "mengamen di terminal",
                        "meminta-minta di sekitar pasar",
                    )
                )
                + " hingga larut malam.",
                "Sebagian besar penghasilan korban diambil oleh terlapor.",
            ]
            place = "fasilitas_umum"
        types = ["eksploitasi"] + (["penelantaran"] if d.chance(0.4) else [])
        return _Story(
            types=types,
            victims=[victim],
            perps=[perp],
            place=place,
            incident_on=incident,
            approx=approx,
            sentences=s,
            kdrt=rel in _FAMILY,
            channels=_CHANNELS_CHILD,
            kin="Kader PATBM",
            legal=0.2,
            care=("rehabilitasi_sosial", "reintegrasi_sosial"),
            guardian=(None if rel.endswith("kandung") else "Ibu kandung"),
        )

    # -- forced marriage (UU TPKS Pasal 4(1)(e)) -------------------------------------------------

    def perkawinan_paksa(self, rep: date) -> _Story:
        d = self.d
        age = d.between(14, 17) if d.chance(0.8) else d.between(18, 21)
        married = d.chance(0.5)
        victim = self.victim(rep, age, "P", marital="nikah_siri" if married else "belum_menikah")
        rels = ["ayah_kandung"] if d.chance(0.5) else ["ibu_kandung"]
        perps = [self.perp(rep, rels, age=age + d.between(20, 38))]
        if d.chance(0.4):
            other = "ibu_kandung" if rels[0] == "ayah_kandung" else "ayah_kandung"
            perps.append(self.perp(rep, [other], age=age + d.between(20, 38)))
        incident, approx, when = self.when(rep, 0, 60)
        s = [
            f"{when}, {_victims_text([victim])} dipaksa oleh orang tuanya untuk menikah dengan "
            "laki-laki pilihan keluarga.",
            "Korban sempat menolak karena ingin melanjutkan sekolah.",
            "Pernikahan telah dilangsungkan secara siri tanpa pencatatan di KUA."
            if married
            else "Rencana pernikahan dijadwalkan bulan depan dan korban meminta pendampingan.",
        ]
        return _Story(
            types=["seksual", "psikis"],
            victims=[victim],
            perps=perps,
            place="rumah_tangga",
            incident_on=incident,
            approx=approx,
            sentences=s,
            tpks=["pemaksaan_perkawinan"],
            kdrt=True,
            channels=_CHANNELS_CHILD,
            kin="Wali kelas korban",
            legal=0.3,
            care=("rehabilitasi_sosial", "bantuan_hukum", "pendampingan_tokoh_agama"),
            guardian="Nenek (wali)" if d.chance(0.4) else None,
        )

    # -- older people ----------------------------------------------------------------------------

    def lansia(self, rep: date) -> _Story:
        d = self.d
        age = d.between(60, 70)
        sex: Sex = "P" if d.chance(0.7) else "L"
        victim = self.victim(
            rep, age, sex, marital="cerai_mati", occupation="Tidak bekerja", disability_p=0.15
        )
        perp = self.perp(rep, ["keluarga_lain"], age=age - d.between(22, 38))
        types = d.pick((["penelantaran"], ["penelantaran", "psikis"], ["psikis", "fisik"]))
        incident, approx, when = self.when(rep, 7, 120)
        s = [
            f"{when}, {_victims_text([victim])} yang tinggal bersama anak dan menantunya diduga "
            "tidak diurus dan sering dimarahi.",
            "Terlapor, anak kandung korban, diduga juga menguasai uang bantuan sosial milik "
            "korban.",
        ]
        if "fisik" in types:
            s.append("Tetangga melihat korban didorong hingga terjatuh di depan rumah.")
        return _Story(
            types=types,
            victims=[victim],
            perps=[perp],
            place="rumah_tangga",
            incident_on=incident,
            approx=approx,
            sentences=s,
            kdrt=True,
            channels=_CHANNELS_DEFAULT,
            kin="Tetangga korban",
            legal=0.1,
            care=("kesehatan", "rehabilitasi_sosial", "pendampingan_tokoh_agama"),
            mediation_ok=True,
        )

    # -- other ----------------------------------------------------------------------------------

    def lainnya(self, rep: date) -> _Story:
        d = self.d
        age = d.between(20, 50)
        victim = self.victim(rep, age, "P", marital="cerai_hidup", occupation=self.adult_job("P"))
        custody = d.chance(0.5)
        rel = "mantan_suami" if custody else "keluarga_lain"
        perp = self.perp(rep, [rel], age=age + d.between(-5, 10))
        incident, approx, when = self.when(rep, 0, 60)
        if custody:
            s = [
                f"{when}, terlapor, mantan suami korban, membawa pergi anak korban tanpa izin dan "
                "menghalangi korban untuk bertemu anaknya.",
                "Korban meminta bantuan untuk mendapatkan kembali hak asuh anak.",
            ]
        else:
            s = [
                f"{when}, terlapor, anggota keluarga korban, mengusir korban dari rumah warisan "
                "orang tua dan menahan dokumen kependudukan korban.",
                "Korban saat ini menumpang di rumah tetangga.",
            ]
        types = ["lainnya"] + (["psikis"] if d.chance(0.5) else [])
        return _Story(
            types=types,
            victims=[victim],
            perps=[perp],
            place="rumah_tangga",
            incident_on=incident,
            approx=approx,
            sentences=s,
            kdrt=custody,
            channels=_CHANNELS_DEFAULT,
            kin="Korban sendiri",
            legal=0.15,
            care=("bantuan_hukum", "rehabilitasi_sosial"),
            mediation_ok=True,
        )

    # -- trafficking (TPPO) --------------------------------------------------------------------

    def tppo(self, rep: date, kind: str) -> _Story:
        d = self.d
        spec = _TPPO_KINDS[kind]
        n = d.between(1, spec.max_victims)
        victims: list[_Victim] = []
        for _ in range(n):
            sex: Sex = spec.sex or ("L" if d.chance(0.6) else "P")
            child = d.chance(spec.child_p)
            age = d.between(15, 17) if child else d.between(spec.min_age, spec.max_age)
            victims.append(
                self.victim(
                    rep,
                    age,
                    sex,
                    occupation=spec.job,
                    out_of_school=child,
                    marital="belum_menikah" if age < 22 or d.chance(0.4) else "menikah",
                )
            )
        dest, domestic, transits = d.pick(spec.destinations)
        recruiter_rel = d.pick(spec.recruiter_rels)
        recruiter_age = (
            victims[0].age + d.between(-2, 6) if recruiter_rel == "teman" else d.between(28, 58)
        )
        recruiter = self.perp(
            rep,
            [recruiter_rel] * n,
            age=recruiter_age,
            occupation="Calo tenaga kerja" if recruiter_rel == "calo_sponsor" else None,
            known=recruiter_rel != "orang_tak_dikenal",
        )
        perps = [recruiter]
        if spec.second_perp and d.chance(0.5):
            rel2, occ2 = spec.second_perp
            perps.append(
                self.perp(
                    rep, [rel2] * n, age=d.between(30, 55), sex="L", occupation=occ2, known=False
                )
            )
        months_away = d.between(2, 20)
        departed = rep - timedelta(days=months_away * 30 + d.between(0, 29))
        abroad = d.chance(0.35)
        returned: date | None = None
        if not abroad:
            returned = departed + timedelta(days=d.between(20, (rep - departed).days))
        transit = d.pick(transits) if transits else []
        child_victim = any(v.age < 18 for v in victims)
        process = ["perekrutan"] + [
            p
            for p, prob in (
                ("pengangkutan", 0.7),
                ("penampungan", 0.5),
                ("pengiriman", 0.0 if domestic else 0.85),
                ("pemindahan", 0.15),
                ("penerimaan", 0.4),
            )
            if d.chance(prob)
        ]
        adults = [v for v in victims if v.age >= 18]
        means = d.some(spec.means, 1, 3) if adults or d.chance(0.5) else []
        purpose = [spec.purpose]
        if child_victim and spec.child_purpose:
            purpose = [spec.child_purpose]
        if spec.extra_purpose and d.chance(0.4):
            purpose.append(spec.extra_purpose)
        fixed = {
            "anak_atau_perkawinan": (
                "ya" if child_victim or spec.purpose == "kawin_kontrak" else "tidak"
            ),
            "transit_negara_ketiga": "ya" if transit else ("tidak" if domestic else "tidak_tahu"),
            "kerja_scam_judi": "ya" if kind == "scam" else "tidak",
        }
        if child_victim and not domestic:
            fixed["dokumen_palsu"] = "ya"  # a child abroad travels on papers with a false age
        indicators: dict[str, str] = {}
        random = d.random
        for code in _tppo_indicators():
            value = fixed.get(code)
            if value is None:
                roll = random()
                if code in spec.likely:
                    value = "ya" if roll < 0.85 else "tidak_tahu"
                elif roll < 0.2:
                    continue  # left blank on the form
                else:
                    value = "tidak" if roll < 0.76 else "tidak_tahu"
            indicators[code] = value
        route = "non_prosedural" if d.chance(spec.non_procedural_p) else "prosedural"
        if route == "prosedural":
            recruiter_type = spec.legal_recruiter
        else:
            recruiter_type = d.pick(spec.recruiter_types)
        debt = d.between(6, 50) * 500_000 if d.chance(0.6) else 0
        tppo: dict[str, Any] = {
            "process": process,
            "means": means,
            "purpose": purpose,
            "indicators": indicators,
            "destination": dest,
            "destination_domestic": domestic,
        }
        if transit:
            tppo["transit"] = list(transit)
        tppo["departed_on"] = departed.isoformat()
        if returned is not None:
            tppo["returned_on"] = returned.isoformat()
        tppo["recruiter_type"] = recruiter_type
        tppo["work_sector"] = spec.sector
        tppo["route"] = route
        if indicators.get("dokumen_ditahan") == "ya":
            tppo["documents_held"] = spec.documents_held
        if debt:
            tppo["debt_amount"] = debt
        if not domestic:
            tppo["still_abroad"] = abroad
        tppo["needs_repatriation"] = abroad

        wage = d.pick(spec.wages)
        who = _victims_text(victims)
        recruiter_text = (
            "seseorang yang dikenal melalui media sosial"
            if recruiter_rel in ("orang_tak_dikenal", "teman_online")
            else f"terlapor, {_rel_text(recruiter_rel)} korban"
        )
        when = f"Sekitar {_approx_date(departed)}"
        s = [
            f"{when}, {who} direkrut oleh {recruiter_text}, untuk bekerja sebagai "
            f"{spec.promise} di {dest} dengan janji gaji {wage} per bulan.",
        ]
        s.extend(spec.story)
        if transit:
            s.append(f"Dalam perjalanan, korban transit di {' dan '.join(transit)}.")
        if debt:
            s.append(f"Korban dibebani utang biaya keberangkatan sebesar {_rupiah(debt)}.")
        if abroad:
            s.append(
                "Korban masih berada di lokasi tujuan; keluarga melapor setelah korban mengirim "
                "pesan meminta dipulangkan."
            )
        else:
            assert returned is not None
            s.append(
                f"Korban berhasil pulang ke Pemalang pada {_approx_date(returned)} "
                + d.pick(
                    (
                        "setelah dibantu rekan kerjanya.",
                        "setelah dideportasi.",
                        "setelah dibantu perwakilan RI.",
                        "dengan biaya sendiri.",
                    )
                )
            )
        types = ["trafficking", "eksploitasi"] + list(spec.extra_types)
        if d.chance(spec.violence_p):
            types.append("fisik")
        if d.chance(0.3):
            types.append("psikis")
        return _Story(
            types=types,
            victims=victims,
            perps=perps,
            place=spec.place,
            incident_on=departed,
            approx=True,
            sentences=s,
            tpks=["eksploitasi_seksual"] if "seksual" in types else [],
            online=recruiter_rel in ("orang_tak_dikenal", "teman_online") or kind == "scam",
            channels=_CHANNELS_TPPO,
            kin=self.kin(victims[0]),
            tppo=tppo,
            legal=0.7,
            care=("kesehatan", "rehabilitasi_sosial", "reintegrasi_sosial", "bantuan_hukum"),
            guardian="Ibu kandung",
            abroad=abroad,
        )


@dataclass(frozen=True)
class _TppoKind:
    """One TPPO pattern: who is recruited, for what, where to, and how."""

    sex: Sex | None  # None: men and women
    min_age: int
    max_age: int
    child_p: float
    max_victims: int
    job: str | None
    promise: str
    sector: str
    destinations: tuple[tuple[str, bool, tuple[tuple[str, ...], ...]], ...]
    recruiter_rels: tuple[str, ...]
    second_perp: tuple[str, str] | None
    means: tuple[str, ...]
    purpose: str
    extra_purpose: str | None
    child_purpose: str | None
    likely: frozenset[str]
    recruiter_types: tuple[str, ...]
    legal_recruiter: str
    non_procedural_p: float
    documents_held: str
    wages: tuple[str, ...]
    story: tuple[str, ...]
    place: str = "tempat_kerja"
    extra_types: tuple[str, ...] = ()
    violence_p: float = 0.3


@cache
def _tppo_indicators() -> tuple[str, ...]:
    return load_taxonomy().codes("tppo_indicator")


_TPPO_KINDS: dict[str, _TppoKind] = {
    # Pemalang's largest TPPO cases involve men recruited as crew of foreign fishing vessels.
    "abk": _TppoKind(
        sex="L",
        min_age=18,
        max_age=45,
        child_p=0.08,
        max_victims=3,
        job="Nelayan",
        promise="anak buah kapal (ABK) kapal ikan",
        sector="Perikanan tangkap (ABK kapal ikan)",
        destinations=(
            ("Taiwan", False, ((), ("Singapura",))),
            ("Korea Selatan", False, ((),)),
            ("Peru", False, (("Singapura",), ())),
            ("Fiji", False, (("Singapura",), ())),
            ("Mauritius", False, (("Singapura",),)),
            ("Afrika Selatan", False, (("Singapura", "Mauritius"), ())),
            ("Kepulauan Aru, Maluku", True, ((),)),
        ),
        recruiter_rels=("calo_sponsor", "calo_sponsor", "tetangga"),
        second_perp=("majikan", "Kapten kapal ikan"),
        means=("penipuan", "penjeratan_utang", "pemalsuan", "penyekapan", "ancaman_kekerasan"),
        purpose="kerja_paksa_abk",
        extra_purpose="perbudakan_penjeratan_utang",
        child_purpose=None,
        likely=frozenset(
            (
                "calo_desa",
                "bayar_perekrut",
                "perekrut_tanpa_izin",
                "upah_tidak_dibayar",
                "dokumen_ditahan",
                "tujuan_pekerjaan_berbeda",
                "denda_berhenti",
            )
        ),
        recruiter_types=("manning_agency", "manning_agency", "perorangan"),
        legal_recruiter="manning_agency",
        non_procedural_p=0.85,
        documents_held="Paspor dan buku pelaut ditahan kapten kapal",
        wages=("USD 350", "USD 400", "USD 450", "USD 500"),
        story=(
            "Korban diberangkatkan melalui manning agency di Tegal tanpa perjanjian kerja laut "
            "yang jelas.",
            "Di atas kapal korban bekerja lebih dari 18 jam sehari dan gaji tidak dibayarkan.",
        ),
        violence_p=0.4,
    ),
    "prt": _TppoKind(
        sex="P",
        min_age=20,
        max_age=45,
        child_p=0.05,
        max_victims=1,
        job=None,
        promise="pekerja rumah tangga",
        sector="Pekerja rumah tangga",
        destinations=(
            ("Malaysia", False, ((), ("Batam",))),
            ("Arab Saudi", False, (("Uni Emirat Arab",), ())),
            ("Singapura", False, ((),)),
            ("Taiwan", False, ((),)),
        ),
        recruiter_rels=("calo_sponsor", "calo_sponsor", "tetangga"),
        second_perp=("majikan", "Majikan di negara tujuan"),
        means=("penipuan", "penjeratan_utang", "penyalahgunaan_kekuasaan", "pemalsuan"),
        purpose="kerja_paksa_prt",
        extra_purpose="perbudakan_penjeratan_utang",
        child_purpose=None,
        likely=frozenset(
            (
                "calo_desa",
                "uang_panjar",
                "visa_non_kerja",
                "dokumen_ditahan",
                "upah_tidak_dibayar",
                "perekrut_tanpa_izin",
            )
        ),
        recruiter_types=("perorangan", "perorangan", "tidak_diketahui"),
        legal_recruiter="p3mi",
        non_procedural_p=0.8,
        documents_held="Paspor ditahan majikan",
        wages=("Rp6 juta", "Rp7 juta", "Rp8 juta"),
        story=(
            "Korban berangkat menggunakan visa kunjungan, bukan visa kerja.",
            "Korban bekerja tanpa hari libur, gaji tidak dibayar selama beberapa bulan, dan "
            "dilarang menghubungi keluarga.",
        ),
    ),
    "scam": _TppoKind(
        sex=None,
        min_age=19,
        max_age=35,
        child_p=0.0,
        max_victims=3,
        job="Tidak bekerja",
        promise="admin pemasaran daring",
        sector="Online scam/judi online",
        destinations=(
            ("Kamboja", False, (("Malaysia",), ("Thailand",))),
            ("Myanmar", False, (("Thailand",), ("Malaysia", "Thailand"))),
            ("Laos", False, (("Thailand",),)),
            ("Filipina", False, ((),)),
        ),
        recruiter_rels=("teman", "orang_tak_dikenal", "teman_online"),
        second_perp=None,
        means=("penipuan", "penyekapan", "ancaman_kekerasan", "penggunaan_kekerasan"),
        purpose="kerja_paksa_online_scam",
        extra_purpose=None,
        child_purpose=None,
        likely=frozenset(
            (
                "iklan_medsos",
                "visa_non_kerja",
                "tujuan_pekerjaan_berbeda",
                "dokumen_ditahan",
                "denda_berhenti",
                "dikurung_dijaga",
            )
        ),
        recruiter_types=("online", "online", "perorangan"),
        legal_recruiter="p3mi",
        non_procedural_p=0.95,
        documents_held="Paspor ditahan pengelola perusahaan",
        wages=("Rp10 juta", "Rp12 juta", "Rp15 juta"),
        story=(
            "Setibanya di lokasi, korban dibawa ke sebuah kompleks tertutup dan dipaksa "
            "menjalankan penipuan daring dengan target harian.",
            "Korban yang tidak mencapai target dikenai denda dan tidak diizinkan keluar.",
        ),
        violence_p=0.5,
    ),
    "seks": _TppoKind(
        sex="P",
        min_age=18,
        max_age=22,
        child_p=0.6,
        max_victims=2,
        job="Tidak bekerja",
        promise="pelayan rumah makan",
        sector="Hiburan malam (kafe/karaoke)",
        destinations=(
            ("Jakarta", True, ((),)),
            ("Batam", True, ((),)),
            ("Tanjung Balai Karimun", True, ((),)),
            ("Sorong, Papua Barat Daya", True, ((),)),
            ("Bali", True, ((),)),
        ),
        recruiter_rels=("teman", "orang_tak_dikenal", "calo_sponsor"),
        second_perp=("majikan", "Pengelola kafe"),
        means=("penipuan", "penjeratan_utang", "penyekapan"),
        purpose="eksploitasi_seksual",
        extra_purpose="perbudakan_penjeratan_utang",
        child_purpose=None,
        likely=frozenset(
            (
                "tujuan_pekerjaan_berbeda",
                "dokumen_ditahan",
                "upah_tidak_dibayar",
                "denda_berhenti",
                "dikurung_dijaga",
            )
        ),
        recruiter_types=("perorangan", "online"),
        legal_recruiter="perorangan",
        non_procedural_p=1.0,
        documents_held="KTP dan telepon genggam ditahan pengelola",
        wages=("Rp4 juta", "Rp5 juta"),
        story=(
            "Setibanya di lokasi, korban ternyata dipekerjakan sebagai pemandu karaoke dan "
            "dipaksa melayani tamu.",
            "Korban tidak diizinkan pulang dengan alasan harus melunasi utang biaya perjalanan.",
        ),
        place="fasilitas_umum",
        extra_types=("seksual",),
        violence_p=0.2,
    ),
    "kebun": _TppoKind(
        sex=None,
        min_age=18,
        max_age=45,
        child_p=0.25,
        max_victims=3,
        job="Buruh tani",
        promise="buruh perkebunan",
        sector="Perkebunan kelapa sawit",
        destinations=(
            ("Malaysia (Sabah)", False, (("Nunukan",),)),
            ("Malaysia (Johor)", False, (("Batam",), ("Dumai",))),
            ("Kalimantan Tengah", True, ((),)),
        ),
        recruiter_rels=("calo_sponsor", "tetangga", "keluarga_lain"),
        second_perp=("majikan", "Mandor perkebunan"),
        means=("penipuan", "penjeratan_utang", "ancaman_kekerasan"),
        purpose="kerja_paksa_perkebunan_pabrik",
        extra_purpose="perbudakan_penjeratan_utang",
        child_purpose="eksploitasi_ekonomi_anak",
        likely=frozenset(
            (
                "calo_desa",
                "uang_panjar",
                "perekrut_tanpa_izin",
                "upah_tidak_dibayar",
                "denda_berhenti",
                "tujuan_pekerjaan_berbeda",
            )
        ),
        recruiter_types=("perorangan",),
        legal_recruiter="p3mi",
        non_procedural_p=0.9,
        documents_held="KTP ditahan mandor",
        wages=("Rp4 juta", "Rp5 juta", "RM1.500"),
        story=(
            "Korban bekerja di perkebunan dengan upah yang dipotong untuk membayar utang "
            "keberangkatan.",
        ),
    ),
    "kawin": _TppoKind(
        sex="P",
        min_age=18,
        max_age=25,
        child_p=0.15,
        max_victims=1,
        job="Tidak bekerja",
        promise="istri dengan janji kehidupan yang layak",
        sector="Perkawinan (pengantin pesanan)",
        destinations=(
            ("Tiongkok", False, ((), ("Jakarta",))),
            ("Puncak, Kabupaten Bogor", True, ((),)),
        ),
        recruiter_rels=("calo_sponsor", "keluarga_lain", "tetangga"),
        second_perp=None,
        means=("penipuan", "memberi_bayaran", "penyalahgunaan_kekuasaan"),
        purpose="kawin_kontrak",
        extra_purpose=None,
        child_purpose=None,
        likely=frozenset(
            ("calo_desa", "uang_panjar", "tujuan_pekerjaan_berbeda", "dokumen_ditahan")
        ),
        recruiter_types=("perorangan",),
        legal_recruiter="perorangan",
        non_procedural_p=1.0,
        documents_held="Paspor dan buku nikah ditahan pihak suami",
        wages=("Rp5 juta", "Rp10 juta"),
        story=(
            "Keluarga korban menerima sejumlah uang dari perantara sebelum pernikahan.",
            "Setelah menikah korban dipaksa bekerja dan komunikasinya dengan keluarga dibatasi.",
        ),
        place="rumah_tangga",
    ),
}

_SCENARIOS: tuple[tuple[str, int], ...] = (
    ("kdrt_istri", 15),
    ("penelantaran_keluarga", 5),
    ("seksual_anak", 15),
    ("ksbe", 6),
    ("pelecehan_kerja", 4),
    ("kekerasan_anak", 8),
    ("penelantaran_anak", 4),
    ("perundungan", 5),
    ("pacaran", 4),
    ("eksploitasi_anak", 4),
    ("perkawinan_paksa", 3),
    ("lansia", 2),
    ("lainnya", 3),
    ("tppo:abk", 7),
    ("tppo:prt", 4),
    ("tppo:scam", 4),
    ("tppo:seks", 3),
    ("tppo:kebun", 2),
    ("tppo:kawin", 2),
)
"""Scenario deck (cards per 100 cases): roughly the mix a Pemalang village focal point sees."""


# --------------------------------------------------------------------------- case assembly

_STAGES = _Weighted(
    [
        ("dicatat", 6.0),
        ("dirujuk", 15.0),
        ("diterima_uptd", 15.0),
        ("dalam_penanganan", 30.0),
        ("selesai", 28.0),
        ("ditutup_tidak_terhubung", 6.0),
        ("ditolak_korban", 6.0),
    ]
)
_STAGE_RANK = {
    "dicatat": 0,
    "dirujuk": 1,
    "diterima_uptd": 2,
    "dalam_penanganan": 3,
    "selesai": 4,
    "ditutup_tidak_terhubung": 2,
    "ditolak_korban": 1,
}
_LEGAL_STEPS = (
    ("lapor_polisi", 0),
    ("penyidikan", 14),
    ("p21", 60),
    ("sidang", 90),
    ("putusan", 150),
)
_SERVICE_INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "kesehatan": ("Puskesmas {kec}", "RSUD dr. M. Ashari Pemalang"),
    "bantuan_hukum": ("UPTD PPA Kabupaten Pemalang", "Posbakum Pengadilan Negeri Pemalang"),
    "penegakan_hukum": ("Unit PPA Satreskrim Polres Pemalang",),
    "rehabilitasi_sosial": ("UPTD PPA Kabupaten Pemalang", "Dinsos KBPP Kabupaten Pemalang"),
    "reintegrasi_sosial": ("Dinsos KBPP Kabupaten Pemalang", "Pemerintah {desa}"),
    "pemulangan": ("BP3MI Jawa Tengah", "Dinsos KBPP Kabupaten Pemalang"),
    "pendampingan_tokoh_agama": ("Penyuluh agama KUA Kecamatan {kec}",),
}
_SERVICE_TEXT: dict[str, tuple[str, ...]] = {
    "kesehatan": (
        "Pemeriksaan kesehatan dan visum atas permintaan penyidik.",
        "Pemeriksaan dan perawatan luka.",
        "Pemeriksaan kesehatan umum.",
    ),
    "bantuan_hukum": (
        "Konsultasi hukum dan pendampingan pembuatan laporan.",
        "Pendampingan hukum oleh advokat.",
    ),
    "penegakan_hukum": (
        "Laporan polisi diterima dan korban dimintai keterangan.",
        "Pendampingan korban saat pemeriksaan di Unit PPA.",
    ),
    "rehabilitasi_sosial": (
        "Konseling psikologis oleh psikolog UPTD PPA.",
        "Pendampingan psikososial oleh pekerja sosial.",
    ),
    "reintegrasi_sosial": (
        "Pendampingan kembali ke keluarga dan sekolah.",
        "Fasilitasi bantuan usaha dan pemulihan ekonomi keluarga.",
    ),
    "pemulangan": ("Fasilitasi pemulangan korban ke daerah asal.",),
    "pendampingan_tokoh_agama": ("Pendampingan rohani bagi korban dan keluarga.",),
}
_REFERRAL_FOR_SERVICE = {
    "kesehatan": "puskesmas",
    "penegakan_hukum": "unit_ppa_polisi",
    "rehabilitasi_sosial": "dinsos",
    "reintegrasi_sosial": "dinsos",
    "pemulangan": "bp3mi",
}
_REFERRAL_NOTES = {
    "uptd_ppa": "Rujukan untuk asesmen dan pendampingan lanjutan.",
    "puskesmas": "Rujukan pemeriksaan kesehatan.",
    "unit_ppa_polisi": "Penerusan laporan ke kepolisian.",
    "dinsos": "Rujukan layanan rehabilitasi sosial.",
    "bp3mi": "Permintaan fasilitasi pemulangan dan perlindungan PMI.",
    "sekolah": "Koordinasi dengan sekolah agar korban tetap bersekolah.",
    "p2tp2a": "Koordinasi dengan P2TP2A.",
    "lainnya": "Koordinasi dengan pihak terkait.",
}
_OPENINGS = {
    "datang_langsung": "{kin} datang ke kantor desa pada {rep} dan melaporkan kejadian yang "
    "dialami korban.",
    "sapa129_telepon": "Laporan diterima melalui telepon SAPA 129 pada {rep} dari {kin_l}.",
    "sapa129_whatsapp": "Laporan diterima melalui WhatsApp SAPA 129 pada {rep} dari {kin_l}.",
    "rujukan_sekolah": "Pihak sekolah merujuk korban ke kader desa pada {rep}.",
    "rujukan_faskes": "Bidan desa merujuk korban ke kader desa pada {rep}.",
    "patbm_kader": "Kader PATBM menerima informasi dari warga dan mencatat laporan pada {rep}.",
    "polisi": "Unit PPA Polres Pemalang meneruskan informasi kasus ke desa pada {rep}.",
    "media": "Kasus diketahui dari unggahan media sosial dan dikonfirmasi kader pada {rep}.",
    "lainnya": "Ketua RT setempat melaporkan kejadian ini kepada kader desa pada {rep}.",
}
_SELF_OPENINGS = {
    "datang_langsung": "Korban datang ke kantor desa pada {rep} dan melaporkan kejadian yang "
    "dialaminya.",
    "sapa129_telepon": "Laporan diterima melalui telepon SAPA 129 pada {rep} dari korban sendiri.",
    "sapa129_whatsapp": "Laporan diterima melalui WhatsApp SAPA 129 pada {rep} dari korban "
    "sendiri.",
}
_FEMALE_REPORTERS = frozenset(("Ibu", "Istri", "Nenek", "Bidan", "Bibi"))
_MALE_REPORTERS = frozenset(("Ayah", "Suami", "Kakek", "Paman"))
_REPORTER = {
    "rujukan_sekolah": ("Guru BK", True),
    "rujukan_faskes": ("Bidan desa", True),
    "patbm_kader": ("Kader PATBM", True),
    "polisi": ("Unit PPA Satreskrim Polres Pemalang", False),
    "media": ("Warganet (anonim)", False),
    "lainnya": ("Ketua RT", True),
}
_CONTACTS = ("Melalui kantor desa", "Melalui kader PATBM", "Melalui bidan desa")


class _CaseMaker:
    """Builds case documents from scenarios."""

    def __init__(self, dice: _Dice, today: date, village: Village | None) -> None:
        self.d = dice
        self.today = today
        self.profile = village
        self.geo = _geo()
        self.teller = _StoryTeller(dice)
        self.deck: _Deck[str] = _Deck(dice, _SCENARIOS)
        self._channels: dict[tuple[tuple[str, float], ...], _Weighted[str]] = {}

    # -- places and ids ---------------------------------------------------------------------

    def near(self, village: Village, same: float, kecamatan: float) -> Village:
        roll = self.d.random()
        if roll < same:
            return village
        if roll < same + kecamatan:
            return self.d.pick(self.geo.by_kecamatan[village.kecamatan_code])
        return self.d.pick(self.geo.villages)

    def ids(self, rep: date) -> Callable[[], str]:
        """Return a maker of time-ordered item ids (the format of ``paths.new_item_id``)."""
        base = (rep.toordinal() - _EPOCH) * 86_400_000 + 2 * 3_600_000
        counter = itertools.count()
        getrandbits = self.d.rng.getrandbits

        def make() -> str:
            return f"{(base + next(counter)) & 0xFFFF_FFFF_FFFF:012x}{getrandbits(64):016x}"

        return make

    # -- people ---------------------------------------------------------------------------

    def victim_doc(self, v: _Victim, item_id: str, rep: date, home: Village) -> dict[str, Any]:
        d = self.d
        doc: dict[str, Any] = {"id": item_id}
        roll = d.random()
        if v.age < 18:
            if roll < 0.35:
                doc["name"] = v.name
            elif roll < 0.85:
                doc["name"] = initials(v.name)
        elif roll < 0.6:
            doc["name"] = v.name
        elif roll < 0.85:
            doc["name"] = initials(v.name)
        doc["sex"] = v.sex
        if d.chance(0.55):
            anniversary = date(
                rep.year - v.age, rep.month, 28 if (rep.month, rep.day) == (2, 29) else rep.day
            )
            birth = anniversary - timedelta(days=d.between(0, 364))
            if d.chance(0.6):
                day = birth.day + (40 if v.sex == "P" else 0)
                serial = d.between(1, 999)
                # NIK: province 33, kabupaten 27, kecamatan of registration, DDMMYY (women
                # add 40 to the day), then a serial number.
                doc["nik"] = (
                    f"3327{(v.domicile or home).kecamatan_code[-2:]}{day:02d}{birth.month:02d}"
                    f"{birth.year % 100:02d}{serial:04d}"
                )
            doc["birth_date"] = birth.isoformat()
            if d.chance(0.1):
                doc["age"] = v.age
                doc["age_estimated"] = False
        else:
            doc["age"] = v.age
            doc["age_estimated"] = d.chance(0.5)
        education, school = self.schooling(v)
        doc["education"] = education
        doc["school_status"] = school
        if v.occupation:
            doc["occupation"] = v.occupation
        elif v.age < 18:
            doc["occupation"] = "Pelajar" if school == "masih_sekolah" else "Belum bekerja"
        else:
            doc["occupation"] = self.teller.adult_job(v.sex)
        doc["marital_status"] = v.marital or (
            "belum_menikah"
            if v.age < 20
            else d.pick(("menikah", "menikah", "belum_menikah", "cerai_hidup"))
        )
        roll = d.random()
        if roll < v.disability_p:
            doc["disability"] = "ya"
            doc["disability_types"] = [d.pick(_DISABILITY_TYPES)]
        elif roll < v.disability_p + 0.04:
            doc["disability"] = "tidak_tahu"
        else:
            doc["disability"] = "tidak"
        doc["citizenship"] = "wni"
        doc["domicile_village"] = (v.domicile or home).code
        if v.sex == "P" and v.age >= 13:
            doc["pregnant"] = v.pregnant
        if v.types:
            doc["violence_types"] = list(v.types)
        return doc

    def schooling(self, v: _Victim) -> tuple[str, str]:
        d, age = self.d, v.age
        if age < 18:
            if age < 5:
                return (
                    ("paud_tk", "masih_sekolah")
                    if d.chance(0.4)
                    else ("belum_tidak_sekolah", "tidak_pernah_sekolah")
                )
            level = "paud_tk" if age < 7 else "sd" if age < 13 else "sltp" if age < 16 else "slta"
            if v.out_of_school and age >= 7:
                return ("sd" if age < 15 else "sltp"), "putus_sekolah"
            return level, "masih_sekolah"
        roll = d.random()
        if age >= 55:
            level = "belum_tidak_sekolah" if roll < 0.2 else ("sd" if roll < 0.8 else "sltp")
        else:
            level = (
                "sd"
                if roll < 0.25
                else "sltp"
                if roll < 0.5
                else "slta"
                if roll < 0.88
                else "perguruan_tinggi"
            )
        if level == "belum_tidak_sekolah":
            return level, "tidak_pernah_sekolah"
        return level, ("tamat" if d.chance(0.8) else "putus_sekolah")

    def perp_doc(self, p: _Perp, item_id: str, victim_ids: Sequence[str]) -> dict[str, Any]:
        doc: dict[str, Any] = {"id": item_id}
        if p.name:
            doc["name"] = p.name
        doc["sex"] = p.sex
        doc["age"] = p.age
        doc["age_estimated"] = p.estimated
        doc["child"] = p.age < 18
        if p.occupation:
            doc["occupation"] = p.occupation
        doc["relationships"] = dict(zip(victim_ids, p.rels, strict=True))
        return doc

    # -- the whole case -------------------------------------------------------------------

    def story(self, rep: date) -> _Story:
        name = self.deck.deal()
        if name.startswith("tppo:"):
            return self.teller.tppo(rep, name[5:])
        method: Callable[[date], _Story] = getattr(self.teller, name)
        return method(rep)

    def make(self, *, rich: bool = False) -> dict[str, Any]:
        d, today = self.d, self.today
        home = self.profile or d.pick(self.geo.villages)
        days_ago = d.between(0, HISTORY_DAYS - 1)
        if rich:
            days_ago = max(days_ago, 120)
        rep = today - timedelta(days=days_ago)
        st = self.story(rep)
        new_id = self.ids(rep)
        incident_village = self.near(home, 0.7, 0.25)
        for v in st.victims:
            if d.chance(0.85):
                v.domicile = incident_village if d.chance(0.8) else home

        victims = [self.victim_doc(v, new_id(), rep, home) for v in st.victims]
        victim_ids = [v["id"] for v in victims]
        perps = [self.perp_doc(p, new_id(), victim_ids) for p in st.perps]
        any_child = any(v.age < 18 for v in st.victims)

        channels = self._channels.get(st.channels)
        if channels is None:
            channels = self._channels[st.channels] = _Weighted(st.channels)
        channel = d.draw(channels)

        # Stage of the case, then the dated events that stage implies.
        if days_ago < 14 and not rich:
            stage = "dicatat" if d.chance(0.5) else "dirujuk"
        else:
            stage = "dalam_penanganan" if rich else d.draw(_STAGES)
            if stage == "selesai" and days_ago < 30:
                stage = "dalam_penanganan"
        rank = _STAGE_RANK[stage]
        sexual = "seksual" in st.types
        tppo = st.tppo

        services: list[dict[str, Any]] = []
        referrals: list[dict[str, Any]] = []
        limit = today.toordinal()
        cursor = rep.toordinal()

        def step(lo: int, hi: int) -> date:
            nonlocal cursor
            cursor = min(cursor + d.between(lo, hi), limit)
            return date.fromordinal(cursor)

        kec_name = incident_village.kecamatan_name
        desa_name = _village_label(home)

        def service(kind: str, on: date) -> None:
            inst = d.pick(_SERVICE_INSTITUTIONS.get(kind, ("UPTD PPA Kabupaten Pemalang",)))
            services.append(
                {
                    "id": new_id(),
                    "type": kind,
                    "on": on.isoformat(),
                    "institution": inst.format(kec=kec_name, desa=desa_name),
                    "description": d.pick(_SERVICE_TEXT.get(kind, ("Layanan diberikan.",))),
                }
            )

        def referral(to: str, on: date, status: str) -> None:
            referrals.append(
                {
                    "id": new_id(),
                    "to": to,
                    "on": on.isoformat(),
                    "status": status,
                    "note": _REFERRAL_NOTES[to],
                }
            )

        intake_by = (
            "UPTD PPA Kabupaten Pemalang"
            if channel.startswith("sapa129")
            else f"Kader PPPA {desa_name}"
        )
        services.append(
            {
                "id": new_id(),
                "type": "pengaduan",
                "on": rep.isoformat(),
                "institution": intake_by,
                "description": "Penerimaan dan pencatatan pengaduan.",
            }
        )

        # Legal track: how far the police case has come, bounded by the case's age.
        legal: str | None
        police_wanted = d.chance(st.legal) or channel == "polisi"
        if sexual and rank >= 2:
            police_wanted = True  # UPTD PPA forwards sexual violence to the police (UU TPKS Ps. 41)
        if stage == "ditolak_korban" and channel != "polisi":
            police_wanted = False
        if police_wanted:
            reachable = [code for code, min_days in _LEGAL_STEPS if days_ago >= min_days]
            legal = d.pick(reachable[: max(1, min(len(reachable), rank + 1))])
        else:
            legal = "tidak_dilaporkan" if d.chance(0.85) else None
        child_perp = any(p.age < 18 for p in st.perps)
        if child_perp and legal not in (None, "tidak_dilaporkan") and not sexual and d.chance(0.5):
            legal = "diversi"  # UU 11/2012 (SPPA): child perpetrators go through diversion first

        referral_status = {1: "dikirim", 2: "diterima", 3: "ditindaklanjuti", 4: "selesai"}
        if rank >= 1:
            uptd_on = step(0, 2)
            status = referral_status.get(rank, "diterima")
            if stage == "ditolak_korban":
                status = d.pick(("dikirim", "ditolak"))
            referral("uptd_ppa", uptd_on, status)
            if legal not in (None, "tidak_dilaporkan") and channel != "polisi":
                police_on = step(0, 3)
                referral(
                    "unit_ppa_polisi", police_on, "diterima" if rank < 3 else "ditindaklanjuti"
                )
                service("penegakan_hukum", police_on)
        if rank >= 3:
            care = [c for c in st.care if c != "penegakan_hukum"]
            if "fisik" not in st.types and not sexual and "kesehatan" in care and d.chance(0.6):
                care.remove("kesehatan")
            for kind in d.some(care, 1, 3) if care else []:
                on = step(0, 20)
                service(kind, on)
                to = _REFERRAL_FOR_SERVICE.get(kind)
                if to and to != "unit_ppa_polisi" and d.chance(0.6):
                    referral(to, on, "selesai" if stage == "selesai" else "ditindaklanjuti")
            if any_child and d.chance(0.25):
                referral("sekolah", step(0, 10), "ditindaklanjuti")
        if tppo is not None and rank >= 1:
            if st.abroad:
                referral("bp3mi", step(0, 5), referral_status.get(rank, "diterima"))
                if rank >= 3 and d.chance(0.6 if stage == "dalam_penanganan" else 1.0):
                    back = step(10, 90)
                    tppo["returned_on"] = back.isoformat()
                    if not tppo["destination_domestic"]:
                        tppo["still_abroad"] = False
                    tppo["needs_repatriation"] = False
                    service("pemulangan", back)
            reported_to = ["bp3mi"] if not tppo["destination_domestic"] else []
            if legal not in (None, "tidak_dilaporkan"):
                reported_to.append("polres")
            if d.chance(0.3):
                reported_to.append("disnaker")
            if reported_to:
                tppo["reported_to"] = reported_to

        # Consent (UU PDP Pasal 25: a child's data with a parent's or guardian's consent).
        consent: dict[str, Any]
        if any_child:
            if st.guardian and d.chance(0.85):
                consent = {"given_by": "orang_tua_wali", "given_by_relation": st.guardian}
            else:
                consent = {
                    "given_by": "lembaga",
                    "given_by_relation": d.pick(
                        ("UPTD PPA Kabupaten Pemalang", "Dinsos KBPP Kabupaten Pemalang")
                    ),
                    "justification": "Orang tua korban diduga terlibat atau tidak dapat "
                    "dihubungi; persetujuan diberikan demi kepentingan terbaik anak.",
                }
        elif st.abroad and d.chance(0.5):
            consent = {
                "given_by": "dasar_hukum_lain",
                "given_by_relation": st.kin,
                "justification": "Korban masih berada di luar daerah dan belum dapat dihubungi; "
                "data diproses untuk melindungi kepentingan vital korban "
                "(UU 27/2022 Pasal 20 ayat (2)) atas laporan keluarga.",
            }
        else:
            consent = {"given_by": "korban"}
        consent["on"] = rep.isoformat()
        consent["method"] = (
            "rekaman"
            if st.abroad or channel.startswith("sapa129")
            else ("tertulis" if d.chance(0.9) else "rekaman")
        )
        scope = ["catat"]
        if referrals:
            scope.append("rujuk_uptd")
        if legal not in (None, "tidak_dilaporkan"):
            scope.append("bagi_polisi")
        if d.chance(0.8):
            scope.append("statistik_anonim")
        consent["scope"] = scope
        consent["explained"] = (
            ["tujuan", "masa_simpan", "hak"] if d.chance(0.8) else ["tujuan", "hak"]
        )
        if stage == "ditolak_korban" and d.chance(0.5):
            consent["withdrawn_on"] = step(1, 14).isoformat()

        outcome: str | None = None
        if stage == "selesai":
            options = ["pemulihan_selesai", "pemulihan_selesai", "dirujuk_keluar", "lainnya"]
            if legal in ("p21", "sidang", "putusan"):
                options = ["proses_hukum", "proses_hukum", "pemulihan_selesai"]
            elif (
                st.mediation_ok
                and not sexual
                and tppo is None
                and legal in (None, "tidak_dilaporkan", "diversi")
            ):
                options += ["mediasi", "mediasi"]  # common in village practice for KDRT
            outcome = d.pick(options)
        elif stage == "ditolak_korban" and d.chance(0.6):
            outcome = "dicabut"

        # Narrative: how it came in, what happened, what was done.
        relation, named = self.reporter_relation(channel, st, any_child)
        if relation == "Korban sendiri":
            opening = _SELF_OPENINGS.get(channel, _OPENINGS[channel]).format(rep=_id_date(rep))
        else:
            opening = _OPENINGS[channel].format(
                rep=_id_date(rep), kin=relation, kin_l=relation.lower()
            )
        closing: list[str] = []
        if rank >= 1:
            closing.append("Kader telah merujuk korban ke UPTD PPA Kabupaten Pemalang.")
        if legal not in (None, "tidak_dilaporkan", "diversi"):
            closing.append("Kasus telah dilaporkan ke Unit PPA Polres Pemalang.")
        if stage == "ditolak_korban":
            closing.append("Korban dan keluarga memutuskan tidak melanjutkan pendampingan.")
        elif stage == "ditutup_tidak_terhubung":
            closing.append("Korban pindah domisili dan tidak dapat dihubungi lagi.")
        narrative = " ".join([opening, *st.sentences, *closing])

        doc: dict[str, Any] = {
            "kind": "case",
            "village": home.code,
            "reported_on": rep.isoformat(),
            "incident_on": st.incident_on.isoformat(),
        }
        if st.approx:
            doc["incident_on_approx"] = True
        doc["channel"] = channel
        if d.chance(0.85):
            doc["reporter"] = self.reporter(relation, named)
        doc["place"] = st.place
        doc["incident_village"] = incident_village.code
        doc["incident_address"] = _address(d, incident_village)
        doc["online"] = st.online
        doc["narrative"] = narrative
        doc["urgent_risk"] = st.urgent is not None
        if st.urgent:
            doc["urgent_note"] = st.urgent
        doc["violence_types"] = st.types
        if st.tpks:
            doc["tpks_types"] = st.tpks
        doc["kdrt"] = st.kdrt
        doc["victims"] = victims
        if perps:
            doc["perpetrators"] = perps
        if tppo is not None:
            doc["tppo"] = tppo
        doc["services"] = services
        if referrals:
            doc["referrals"] = referrals
        doc["consent"] = consent
        doc["status"] = stage
        if legal:
            doc["legal_status"] = legal
        if outcome:
            doc["outcome"] = outcome
        return doc

    def reporter_relation(self, channel: str, st: _Story, any_child: bool) -> tuple[str, bool]:
        """Return who reported (``reporter/relation``) and whether a name may be recorded."""
        fixed = _REPORTER.get(channel)
        if fixed is not None:
            return fixed
        if st.kin == "Korban sendiri" or (not any_child and not st.abroad and self.d.chance(0.4)):
            return "Korban sendiri", False
        return st.kin, True

    def reporter(self, relation: str, named: bool) -> dict[str, str]:
        d = self.d
        out = {"relation": relation}
        if named and d.chance(0.5):
            first = relation.split()[0]
            sex: Sex = (
                "P"
                if first in _FEMALE_REPORTERS
                else "L"
                if first in _MALE_REPORTERS
                else ("P" if d.chance(0.6) else "L")
            )
            out["name"] = make_name(d.rng, sex, 1965 + d.between(0, 35))
        if d.chance(0.3):
            out["contact"] = d.pick(_CONTACTS)
        return out


# --------------------------------------------------------------------------- outreach

_TOPIC_TITLES = {
    "kdrt": "Pencegahan KDRT",
    "kekerasan_seksual_tpks": "UU TPKS dan Pencegahan Kekerasan Seksual",
    "perlindungan_anak": "Perlindungan Anak",
    "perkawinan_anak": "Pencegahan Perkawinan Anak",
    "pengasuhan_positif": "Pengasuhan Positif",
    "tppo_migrasi_aman": "Migrasi Aman dan Pencegahan TPPO",
    "ksbe_keamanan_digital": "Keamanan Digital dan Pencegahan KSBE",
    "layanan_pengaduan": "Layanan Pengaduan SAPA 129 dan UPTD PPA",
    "drppa": "Desa Ramah Perempuan dan Peduli Anak (DRPPA)",
    "perundungan": "Pencegahan Perundungan",
}
_TOPIC_TARGETS: dict[str, tuple[str, ...]] = {
    "kdrt": ("orang_tua", "kader_pkk_posyandu", "tokoh_agama_masyarakat"),
    "kekerasan_seksual_tpks": ("remaja_pelajar", "perangkat_desa", "babinsa_bhabinkamtibmas"),
    "perlindungan_anak": ("orang_tua", "kader_pkk_posyandu", "anak_forum_anak"),
    "perkawinan_anak": ("remaja_pelajar", "orang_tua", "tokoh_agama_masyarakat"),
    "pengasuhan_positif": ("orang_tua", "kader_pkk_posyandu", "bidan_desa"),
    "tppo_migrasi_aman": ("calon_pmi_keluarga", "perangkat_desa", "tokoh_agama_masyarakat"),
    "ksbe_keamanan_digital": ("remaja_pelajar", "anak_forum_anak", "guru"),
    "layanan_pengaduan": ("perangkat_desa", "kader_pkk_posyandu", "bidan_desa"),
    "drppa": ("perangkat_desa", "tokoh_agama_masyarakat", "babinsa_bhabinkamtibmas"),
    "perundungan": ("remaja_pelajar", "guru", "anak_forum_anak"),
}
_RELATED_TOPICS: dict[str, tuple[str, ...]] = {
    "kdrt": ("layanan_pengaduan", "pengasuhan_positif"),
    "kekerasan_seksual_tpks": ("layanan_pengaduan", "ksbe_keamanan_digital"),
    "perlindungan_anak": ("pengasuhan_positif", "perkawinan_anak"),
    "perkawinan_anak": ("perlindungan_anak", "kekerasan_seksual_tpks"),
    "pengasuhan_positif": ("perlindungan_anak", "kdrt"),
    "tppo_migrasi_aman": ("layanan_pengaduan",),
    "ksbe_keamanan_digital": ("perundungan", "kekerasan_seksual_tpks"),
    "layanan_pengaduan": ("kdrt", "drppa"),
    "drppa": ("perlindungan_anak", "layanan_pengaduan"),
    "perundungan": ("ksbe_keamanan_digital", "perlindungan_anak"),
}
_TOPIC_SUMMARY = {
    "kdrt": "Narasumber menjelaskan bentuk-bentuk KDRT menurut UU 23/2004 dan cara melapor.",
    "kekerasan_seksual_tpks": "Narasumber menjelaskan sembilan bentuk kekerasan seksual dalam "
    "UU 12/2022 dan hak korban atas pendampingan.",
    "perlindungan_anak": "Peserta membahas hak-hak anak dan peran warga dalam PATBM.",
    "perkawinan_anak": "Narasumber menjelaskan batas usia perkawinan 19 tahun (UU 16/2019) dan "
    "dampak perkawinan anak bagi kesehatan dan pendidikan.",
    "pengasuhan_positif": "Peserta berlatih cara mendisiplinkan anak tanpa kekerasan.",
    "tppo_migrasi_aman": "Narasumber menjelaskan prosedur bekerja ke luar negeri secara resmi, "
    "ciri-ciri calo dan lowongan palsu, serta risiko bekerja sebagai ABK tanpa perjanjian kerja.",
    "ksbe_keamanan_digital": "Peserta belajar mengatur privasi akun media sosial dan mengenali "
    "modus pemerasan dengan foto pribadi.",
    "layanan_pengaduan": "Peserta dikenalkan pada alur pengaduan SAPA 129 dan layanan UPTD PPA.",
    "drppa": "Peserta membahas sepuluh indikator DRPPA dan kondisi desa saat ini.",
    "perundungan": "Peserta membahas contoh perundungan di sekolah dan di media sosial serta "
    "cara melapor kepada guru.",
}
_TYPE_SUMMARY = {
    "sosialisasi": "Kegiatan diawali sambutan kepala desa.",
    "edukasi": "Materi disampaikan secara interaktif dengan permainan peran.",
    "penyuluhan": "Penyuluhan dilaksanakan bersamaan dengan kegiatan posyandu.",
    "kampanye": "Peserta membagikan selebaran dan membentangkan spanduk ajakan.",
    "pelatihan_bimtek": "Peserta berlatih mencatat laporan kasus menggunakan formulir desa.",
    "rapat_koordinasi": "Rapat membahas pembagian peran penanganan kasus di tingkat desa.",
    "kunjungan_rumah": "Kader mengunjungi keluarga dan memberikan informasi secara langsung.",
    "diskusi_kelompok": "Peserta dibagi dalam kelompok kecil dan mempresentasikan hasil diskusi.",
}
_FOLLOW_UPS = (
    "Kader akan melakukan kunjungan rumah ke keluarga yang membutuhkan pendampingan.",
    "Pemerintah desa akan menganggarkan kegiatan lanjutan dalam APBDes tahun depan.",
    "Forum Anak akan membuat poster kampanye untuk dipasang di sekolah.",
    "Nomor SAPA 129 akan dipasang di papan informasi desa dan masjid.",
    "Kader PATBM akan memantau keluarga calon PMI yang berangkat melalui jalur tidak resmi.",
    "Pertemuan lanjutan dijadwalkan bulan depan untuk membahas rencana aksi desa.",
)
_MATERIALS = (
    "Leaflet SAPA 129",
    "Poster Stop Perkawinan Anak",
    "Buku saku migrasi aman",
    "Stiker layanan pengaduan UPTD PPA",
    "Modul pengasuhan positif",
    "Formulir pencatatan kasus",
    "Salindia materi narasumber",
)
_SPEAKERS: dict[str, tuple[str, ...]] = {
    "kdrt": ("Psikolog UPTD PPA Kabupaten Pemalang", "Penyuluh agama KUA Kecamatan {kec}"),
    "kekerasan_seksual_tpks": (
        "Kanit PPA Satreskrim Polres Pemalang",
        "Konselor hukum UPTD PPA Kabupaten Pemalang",
    ),
    "perlindungan_anak": ("Fasilitator PATBM Dinsos KBPP", "Konselor Puspaga"),
    "perkawinan_anak": ("Penyuluh KB Kecamatan {kec}", "Penyuluh agama KUA Kecamatan {kec}"),
    "pengasuhan_positif": ("Konselor Puspaga", "Bidan desa"),
    "tppo_migrasi_aman": (
        "Petugas BP3MI Jawa Tengah",
        "Pengantar kerja Disnaker Kabupaten Pemalang",
    ),
    "ksbe_keamanan_digital": ("Pegiat literasi digital", "Kanit PPA Satreskrim Polres Pemalang"),
    "layanan_pengaduan": ("Petugas UPTD PPA Kabupaten Pemalang",),
    "drppa": ("Fasilitator DRPPA Dinsos KBPP Kabupaten Pemalang",),
    "perundungan": ("Guru BK", "Psikolog UPTD PPA Kabupaten Pemalang"),
}
_TYPE_ORGANISERS: dict[str, tuple[str, ...]] = {
    "sosialisasi": ("pemdes", "dinsos_kbpp", "kader_pppa", "pkk"),
    "edukasi": ("puspaga", "kader_pppa", "sekolah", "patbm"),
    "penyuluhan": ("pkk", "ppkbd", "kader_pppa", "pemdes"),
    "kampanye": ("pemdes", "pkk", "kader_pppa", "ormas"),
    "pelatihan_bimtek": ("dinsos_kbpp", "uptd_ppa"),
    "rapat_koordinasi": ("pemdes", "uptd_ppa", "dinsos_kbpp"),
    "kunjungan_rumah": ("kader_pppa", "patbm", "pkk"),
    "diskusi_kelompok": ("patbm", "kader_pppa", "sekolah", "ormas"),
}
_CHILD_GROUPS = frozenset(("remaja_pelajar", "anak_forum_anak"))
_FUNDING = _Weighted(
    [
        ("dana_desa", 5.0),
        ("apbd_kabupaten", 3.0),
        ("dak_non_fisik_ppa", 2.0),
        ("apbd_provinsi", 1.0),
        ("csr_ngo", 1.0),
        ("swadaya", 2.0),
    ]
)
_MORNING = ("08:00", "08:30", "09:00", "09:00", "09:30")
_START_TIMES = (*_MORNING, "10:00", "13:00", "13:30", "14:00", "15:30", "19:30")


class _OutreachMaker:
    """Builds outreach documents; types and main topics are dealt from decks."""

    def __init__(self, dice: _Dice, today: date, village: Village | None) -> None:
        self.d = dice
        self.today = today
        self.profile = village
        self.geo = _geo()
        taxonomy = load_taxonomy()
        self.types: _Deck[str] = _Deck(dice, [(c, 1) for c in taxonomy.codes("outreach_type")])
        self.topics: _Deck[str] = _Deck(dice, [(c, 1) for c in taxonomy.codes("outreach_topic")])

    def make(self) -> dict[str, Any]:
        d = self.d
        home = self.profile or d.pick(self.geo.villages)
        kind = self.types.deal()
        topic = self.topics.deal()
        topics = [topic] + d.some(_RELATED_TOPICS[topic], 0, 1)
        held = self.today - timedelta(days=d.between(0, HISTORY_DAYS - 1))
        venue_village = (
            home if d.chance(0.85) else d.pick(self.geo.by_kecamatan[home.kecamatan_code])
        )
        label = _village_label(venue_village)
        kec = venue_village.kecamatan_name
        topic_title = _TOPIC_TITLES[topic]

        targets = d.some(_TOPIC_TARGETS[topic], 1, 3)
        if kind == "rapat_koordinasi":
            targets = ["perangkat_desa", "babinsa_bhabinkamtibmas"] + d.some(
                ("bidan_desa", "kader_pkk_posyandu", "tokoh_agama_masyarakat"), 0, 2
            )
        elif kind == "kunjungan_rumah":
            targets = ["orang_tua"] if topic != "tppo_migrasi_aman" else ["calon_pmi_keluarga"]
        elif kind == "pelatihan_bimtek":
            targets = ["kader_pkk_posyandu"] + d.some(
                ("perangkat_desa", "guru", "bidan_desa"), 0, 2
            )

        title, venue = self.title_and_venue(kind, topic_title, label, venue_village, kec)
        morning = kind in ("pelatihan_bimtek", "kampanye", "penyuluhan")  # posyandu is mornings
        start = d.pick(_MORNING if morning else _START_TIMES)
        if kind == "kunjungan_rumah":
            minutes = d.between(1, 4) * 30
        elif kind in ("pelatihan_bimtek", "kampanye"):
            minutes = d.between(4, 12) * 30
        else:
            minutes = d.between(3, 7) * 30
        hour, minute = int(start[:2]), int(start[3:])
        end_total = min(hour * 60 + minute + minutes, 23 * 60 + 30)
        end = f"{end_total // 60:02d}:{end_total % 60:02d}"

        participants = self.participants(kind, targets)
        total = sum(participants.values())
        disability = d.between(1, 3) if total >= 5 and d.chance(0.3) else 0
        participants["with_disability"] = min(disability, total)

        organisers = d.some(_TYPE_ORGANISERS[kind], 1, 2)
        if topic == "tppo_migrasi_aman" and "disnaker" not in organisers and d.chance(0.6):
            organisers.append("disnaker")
        funding = d.draw(_FUNDING)
        if funding == "swadaya" or kind == "kunjungan_rumah":
            budget = total * d.between(0, 2) * 5_000  # snacks at most
        else:
            # Consumption per participant, plus speaker fees and materials.
            per_head = d.between(3, 8) * 5_000 * (2 if minutes > 180 else 1)
            budget = total * per_head + d.between(2, 30) * 100_000
        budget = budget // 50_000 * 50_000

        speakers = "; ".join(s.format(kec=kec) for s in d.some(_SPEAKERS[topic], 1, 2))
        fac_sex: Sex = "P" if d.chance(0.75) else "L"
        facilitator = (
            f"{make_name(d.rng, fac_sex, 1970 + d.between(0, 30))} "
            f"({d.pick(('Kader PPPA', 'Ketua PATBM', 'Ketua TP PKK', 'Sekretaris Desa'))})"
        )
        pre = d.between(40, 65)
        evaluation = d.pick(
            (
                f"Rata-rata nilai pre-test {pre}, post-test {min(100, pre + d.between(10, 30))}.",
                "Peserta aktif bertanya; waktu diskusi dirasa kurang.",
                "Sebagian peserta datang terlambat sehingga acara mundur 30 menit.",
                "Peserta memahami alur pelaporan kasus di desa.",
            )
        )
        summary = " ".join(
            (
                _TYPE_SUMMARY[kind],
                _TOPIC_SUMMARY[topic],
                d.pick(
                    (
                        "Peserta aktif bertanya tentang cara melapor tanpa diketahui pelaku.",
                        "Beberapa peserta berbagi pengalaman di lingkungannya tanpa menyebut nama.",
                        "Diskusi berjalan lancar dan disepakati rencana tindak lanjut.",
                    )
                ),
            )
        )
        doc: dict[str, Any] = {
            "kind": "outreach",
            "village": home.code,
            "title": title,
            "type": kind,
            "topics": topics,
            "held_on": held.isoformat(),
            "start_time": start,
            "end_time": end,
            "venue": venue,
            "venue_village": venue_village.code,
            "organisers": organisers,
            "speakers": speakers,
            "facilitator": facilitator,
            "target_groups": targets,
            "participants": participants,
            "summary": summary,
            "follow_up": d.pick(_FOLLOW_UPS),
            "materials": "; ".join(d.some(_MATERIALS, 1, 3)),
            "evaluation": evaluation,
            "linked_cases": (
                [
                    str(uuid.UUID(int=d.rng.getrandbits(128), version=4))
                    for _ in range(d.between(1, 2))
                ]
                if d.chance(0.15)
                else []
            ),
            "funding": funding,
            "budget": budget,
        }
        return doc

    def title_and_venue(
        self, kind: str, topic_title: str, label: str, village: Village, kec: str
    ) -> tuple[str, str]:
        d = self.d
        hall = "Kantor " + label if village.kind == "kelurahan" else "Balai " + label
        if kind == "sosialisasi":
            return f"Sosialisasi {topic_title} di {label}", hall
        if kind == "edukasi":
            return f"Edukasi {topic_title} bagi Orang Tua dan Remaja", d.pick(
                (hall, f"SD Negeri {d.between(1, 4)} {village.name}", f"Aula Kecamatan {kec}")
            )
        if kind == "penyuluhan":
            return f"Penyuluhan {topic_title} di Posyandu", (
                f"Posyandu Dusun {d.pick(_DUSUN)}" if village.kind == "desa" else hall
            )
        if kind == "kampanye":
            return f"Kampanye {topic_title}", d.pick((f"Lapangan {village.name}", hall))
        if kind == "pelatihan_bimtek":
            return f"Pelatihan Kader tentang {topic_title}", d.pick((hall, f"Aula Kecamatan {kec}"))
        if kind == "rapat_koordinasi":
            return f"Rapat Koordinasi {topic_title} Tingkat Desa", hall
        if kind == "kunjungan_rumah":
            return f"Kunjungan Rumah: {topic_title}", (
                f"Rumah warga, RT {d.between(1, 9):03d}/RW {d.between(1, 6):03d}"
            )
        return f"Diskusi Kelompok {topic_title}", d.pick(
            (hall, f"Masjid Dusun {d.pick(_DUSUN)}", f"Sekretariat Forum Anak {label}")
        )

    def participants(self, kind: str, targets: Sequence[str]) -> dict[str, int]:
        d = self.d
        children = any(t in _CHILD_GROUPS for t in targets)
        adults = any(t not in _CHILD_GROUPS for t in targets)
        if kind == "kunjungan_rumah":
            return {
                "male_child": d.between(0, 2),
                "male_adult": d.between(0, 2),
                "female_child": d.between(0, 2),
                "female_adult": d.between(1, 3),
            }
        scale = (
            80
            if kind == "kampanye"
            else (25 if kind in ("rapat_koordinasi", "pelatihan_bimtek") else 45)
        )
        if kind == "rapat_koordinasi":
            female_share = 0.25 + 0.35 * d.random()  # village officials are mostly men
        else:
            female_share = 0.55 + 0.35 * d.random()
        out = {"male_child": 0, "male_adult": 0, "female_child": 0, "female_adult": 0}
        if children:
            n = d.between(10, scale)
            out["female_child"] = min(80, round(n * female_share * 0.8))
            out["male_child"] = min(80, n - out["female_child"])
        if adults:
            n = d.between(8, scale)
            out["female_adult"] = min(80, round(n * female_share))
            out["male_adult"] = min(80, n - out["female_adult"])
        return out


# --------------------------------------------------------------------------- public API


def _resolve(village: str | None) -> Village | None:
    if village is None:
        return None
    return load_regions().village(village)


def _check_count(n: int) -> None:
    if n < 0:
        raise ValueError(f"n must not be negative: {n}")


def generate_cases(
    n: int, *, seed: int = 1, village: str | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """Return ``n`` synthetic case documents (``kind: "case"``, no ``id`` or ``code``).

    Every document passes ``simpul.records.validation.validate(doc, today=today)``. Item lists
    carry time-ordered item ids, so perpetrator relationships can name their victims.

    Args:
        n: How many cases.
        seed: Seed of the random source; the same arguments give the same documents.
        village: Village code of the recording profile: every case gets this ``village`` and
            most incidents happen there or elsewhere in its kecamatan. ``None`` draws villages
            from all desa and kelurahan of the kabupaten.
        today: The date documents are dated against (default :data:`DEFAULT_TODAY`); nothing
            is dated after it.

    Returns:
        The documents, fresh dicts the caller may change.

    Raises:
        ValueError: ``n`` is negative.
        UnknownVillageError: ``village`` is not a village of Kabupaten Pemalang.
    """
    _check_count(n)
    maker = _CaseMaker(_Dice(random.Random(seed)), today or DEFAULT_TODAY, _resolve(village))
    return [maker.make() for _ in range(n)]


def generate_outreach(
    n: int, *, seed: int = 1, village: str | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """Return ``n`` synthetic outreach documents (``kind: "outreach"``, no ``id`` or ``code``).

    Activity types and main topics are dealt from shuffled decks, so a batch of ten or more
    holds every type and every topic.

    Args:
        n: How many activities.
        seed: Seed of the random source; the same arguments give the same documents.
        village: Village code of the recording profile (``village`` of every document; most
            venues are there). ``None`` draws villages from the whole kabupaten.
        today: The date documents are dated against (default :data:`DEFAULT_TODAY`).

    Returns:
        The documents.

    Raises:
        ValueError: ``n`` is negative.
        UnknownVillageError: ``village`` is not a village of Kabupaten Pemalang.
    """
    _check_count(n)
    maker = _OutreachMaker(_Dice(random.Random(seed)), today or DEFAULT_TODAY, _resolve(village))
    return [maker.make() for _ in range(n)]


def make_template(kind: str, *, seed: int = 1) -> dict[str, Any]:
    """Return one valid, fully filled example document of a record kind (``record template``).

    Args:
        kind: ``"case"`` or ``"outreach"``.
        seed: Seed of the random source.

    Returns:
        A document dated against :data:`DEFAULT_TODAY`, without ``village`` (the store fills in
        the profile's village) and, for outreach, without ``linked_cases``. A case template is
        at least four months old and in the ``dalam_penanganan`` stage, so services and
        referrals are filled.

    Raises:
        ValueError: ``kind`` is not a record kind.
    """
    dice = _Dice(random.Random(seed))
    if kind == "case":
        doc = _CaseMaker(dice, DEFAULT_TODAY, None).make(rich=True)
    elif kind == "outreach":
        doc = _OutreachMaker(dice, DEFAULT_TODAY, None).make()
        doc["linked_cases"] = []  # a template must not point at records that do not exist
    else:
        raise ValueError(f"unknown record kind: {kind!r} (expected 'case' or 'outreach')")
    del doc["village"]  # the village of whoever saves it, not of the example
    return doc
