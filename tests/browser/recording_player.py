"""A stand-in audio player for read-aloud tests: keeps each WAV it is asked to play.

``SUNSHINE_AUDIO_PLAYER="python recording_player.py {path}"`` with ``RECORD_DIR`` set. The app's
speech is real espeak-ng; only the loudspeaker is replaced, because test machines have none.
"""

import os
import shutil
import sys
import time
from pathlib import Path

source = Path(sys.argv[1])
target = Path(os.environ["RECORD_DIR"]) / f"{time.time_ns()}-{source.name}"
shutil.copyfile(source, target)
