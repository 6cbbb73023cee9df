# Crash with SIGSEGV after raising the soft core limit as far as it goes: no core file
# may appear (RLIMIT_CORE is 0 and learner processes are not dumpable).
import os
import resource
import signal

soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
os.kill(os.getpid(), signal.SIGSEGV)
