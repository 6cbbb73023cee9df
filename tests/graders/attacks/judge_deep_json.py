"""A `function` submission that writes JSON nested 100,000 deep straight to the
harness's real stdout and exits before the harness writes. The JSON checker once
raised RecursionError (IE, retried); now it is WA, "the returned value could not be
read back as JSON"."""

import os


def largest_region(grid):
    text = b"[" * 100_000 + b"]" * 100_000
    for fd in range(3, 16):
        try:
            if not (os.path.sameopenfile(fd, 2) or os.path.sameopenfile(fd, 0)):
                os.write(fd, text)
        except OSError:
            pass
    os._exit(0)
