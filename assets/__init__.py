"""Static files served by the dashboard: CSS, vendored JavaScript, example data."""
from pathlib import Path

ASSETS_DIR = Path(__file__).parent
