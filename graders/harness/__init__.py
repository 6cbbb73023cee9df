"""Files copied into the sandbox next to learner code.

Each is copied under the name `protocol.SOURCES` gives it and imports its
neighbours under those names (`gradebox_guard`, `gradebox_protocol`). The judge
imports only the wire facts: `protocol` (exit codes, markers, file names) and
`kernel_protocol` (the kernel harness's arrays and refusal sentences).
"""

from importlib import resources

from graders.harness import protocol
from graders.harness.bytecode import bytecode_file


def harness_files(*names: str) -> dict[str, bytes]:
    """The sandbox files `names` (keys of `protocol.SOURCES`), with the protocol
    module every one of them imports, each with its bytecode (`harness.bytecode`)."""
    folder = resources.files("graders.harness")
    wanted = dict.fromkeys([*names, protocol.PROTOCOL_FILE])
    files = {name: folder.joinpath(protocol.SOURCES[name]).read_bytes() for name in wanted}
    for name, source in list(files.items()):
        compiled = bytecode_file(name, source)
        if compiled is not None:
            files[compiled[0]] = compiled[1]
    return files
