# Nothing about the SDK here.
import subprocess


def run(cmd):
    return subprocess.run(cmd, check=True)
