"""``python -m district``: the ``simpul-district`` admin command."""

import sys

from district.cli import main

sys.exit(main())
