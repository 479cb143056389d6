"""Read-aloud (朗读): voice choice, espeak-ng's quirks, the audio player and the worker that
speaks. It imports no flet: the app and the views reach it through ``AppContext.speaker``."""
