# Use no CPU, never finish: only the wall clock can stop it.
import time

time.sleep(3600)
