"""The Simpul desktop application (village and district modes)."""
