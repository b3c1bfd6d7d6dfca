import sys
from pathlib import Path

# Let stage tests import the hand-made data builders beside them.
sys.path.insert(0, str(Path(__file__).parent))
