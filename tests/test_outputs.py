"""Where ``-o`` writes: regular files replaced atomically, anything else written to, never replaced.

Also the modes of new files, the temporary files a killed writer leaves and the next write
removes, terminals that must not get control characters from the data, and arguments
that cannot be text. Nothing here touches the machine's own /dev: device nodes are made
in tmp_path, and /dev/stdout is written by a subprocess that refuses to replace /dev.
"""

import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time

from pathlib import Path

import pytest

import claimtrack

from claimtrack.cli import main
from claimtrack.errors import CaseFileError
from claimtrack.files import _atomic
from claimtrack.files._atomic import TEMP_SUFFIX, atomic_file, atomic_write, output_file


ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "iraq-2024" / "case.yaml"
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX files and signals")
ROOT_ONLY = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="needs root: device nodes, other owners"
)

HOSTILE = """\
claimtrack: 1
title: "Rockets \\e[31m"
sources:
  smc: {name: "Security \\e]0;pwned\\a Cell \\u202e", kind: official-body}
claims:
  vehicle: {text: "Iraqi \\x9b forces destroyed"}
attributions:
  - {claim: vehicle, source: smc}
"""
"""A case whose texts hold ESC sequences, a C1 control and a bidi override."""

RAW = ("\x1b", "\x9b", "\u202e", "\x07")
"""What must never reach a terminal from HOSTILE."""

# A subprocess that cannot replace anything under /dev or /proc, so that even a
# regression cannot swap the machine's /dev/stdout for a file when the tests run as root.
GUARDED = """\
import os, sys

def guard(real):
    def guarded(src, dst, *args, **kwargs):
        if os.path.abspath(os.fspath(dst)).startswith(("/dev/", "/proc/")):
            raise PermissionError(1, "the test refuses to replace a system file", dst)
        return real(src, dst, *args, **kwargs)
    return guarded

os.replace, os.rename = guard(os.replace), guard(os.rename)
from claimtrack.cli import main
sys.exit(main(sys.argv[1:]))
"""


def expected(fmt: str = "jsonl", case: Path = SEED) -> bytes:
    """What export writes to a pipe."""
    r = subprocess.run(
        [sys.executable, "-m", "claimtrack", "export", str(case), "--to", fmt],
        capture_output=True,
        check=True,
    )
    return r.stdout


def guarded(*argv: str, **kwargs) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", GUARDED, *argv], capture_output=True, check=False, **kwargs
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


@pytest.fixture(name="hostile")
def _hostile(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


# ---- special files are written to, never replaced ------------------------------------------


@POSIX
class TestSpecialFiles:
    def test_fifo_is_written_not_replaced(self, tmp_path):
        """-o onto a FIFO streams into it; the FIFO stays a FIFO."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
        reader.start()
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(fifo)]) == 0
        reader.join(10)
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert got == [expected()]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]

    @ROOT_ONLY
    def test_device_node_is_written_not_replaced(self, tmp_path):
        """-o onto a character device (a copy of /dev/null made in tmp_path) leaves the node."""
        null = tmp_path / "null"
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(null)]) == 0
        assert stat.S_ISCHR(null.lstat().st_mode)
        assert os.major(null.lstat().st_rdev) == 1
        assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]

    @ROOT_ONLY
    def test_full_device_is_a_clean_error(self, tmp_path, capsys):
        """A device that refuses the data (a copy of /dev/full) exits 1 with FILE: MESSAGE."""
        full = tmp_path / "full"
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(full)]) == 1
        assert f"{full}: cannot be written: No space left on device" in capsys.readouterr().err
        assert stat.S_ISCHR(full.lstat().st_mode)

    @pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="as a normal user")
    def test_dev_null_as_a_normal_user(self, capsys):
        """-o /dev/null works (as root this is tested on a copy made with mknod)."""
        assert main(["export", str(SEED), "--to", "jsonl", "-o", "/dev/null"]) == 0
        assert capsys.readouterr().err == ""

    @pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
    def test_dev_stdout_into_a_pipe(self, name):
        """-o /dev/stdout writes to standard output, whatever it is; nothing is replaced."""
        if not Path(name).exists():
            pytest.skip(f"no {name} here")
        r = guarded("export", str(SEED), "--to", "jsonl", "-o", name)
        assert (r.returncode, r.stderr) == (0, b"")
        assert r.stdout == expected()

    def test_dev_stderr(self):
        """-o /dev/stderr writes to standard error."""
        r = guarded("export", str(SEED), "--to", "jsonl", "-o", "/dev/stderr")
        assert r.returncode == 0
        assert (r.stdout, r.stderr) == (b"", expected())

    def test_process_substitution(self):
        """-o >(cmd) names /dev/fd/N, a pipe this process inherited: it is written to."""
        if not Path("/dev/fd").exists():
            pytest.skip("no /dev/fd here")
        read, write = os.pipe()
        with subprocess.Popen(
            [
                sys.executable,
                "-c",
                GUARDED,
                "export",
                str(SEED),
                "--to",
                "jsonl",
                "-o",
                f"/dev/fd/{write}",
            ],
            pass_fds=(write,),
            stderr=subprocess.PIPE,
        ) as proc:
            os.close(write)
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            _, err = proc.communicate(timeout=30)
        assert (proc.returncode, err) == (0, b"")
        assert data == expected()

    def test_a_closed_descriptor_is_a_clean_error(self):
        """/dev/fd/N of a descriptor that is not open exits 1 with a message, no traceback."""
        r = guarded("export", str(SEED), "--to", "jsonl", "-o", "/dev/fd/97")
        assert r.returncode == 1
        assert b"/dev/fd/97: cannot be written: Bad file descriptor" in r.stderr
        assert b"Traceback" not in r.stderr

    def test_stdout_on_a_full_disk(self):
        """Standard output that refuses the data exits 1 naming it, with no traceback."""
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full here")
        with Path("/dev/full").open("wb") as full:
            r = subprocess.run(
                [sys.executable, "-m", "claimtrack", "export", str(SEED), "--to", "jsonl"],
                stdout=full,
                stderr=subprocess.PIPE,
                check=False,
            )
        assert r.returncode == 1
        assert r.stderr == b"standard output: cannot be written: No space left on device\n"

    def test_a_folder_is_a_clear_error(self, tmp_path, capsys):
        """-o onto a folder exits 1 saying it is a folder; the folder is untouched."""
        (tmp_path / "inside").write_text("x")
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(tmp_path)]) == 1
        err = capsys.readouterr().err
        assert f"{tmp_path}: is a folder" in err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["inside"]

    def test_atomic_write_refuses_special_files(self, tmp_path):
        """The library's atomic writes (Case.save) never replace a FIFO either."""
        fifo = tmp_path / "case.yaml"
        os.mkfifo(fifo)
        with pytest.raises(CaseFileError, match="is a FIFO, not a regular file"):
            atomic_write(fifo, b"x")
        with pytest.raises(CaseFileError, match="is a FIFO"):
            claimtrack.Case(title="t").save(fifo)
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]


# ---- symbolic links ---------------------------------------------------------------------------


@POSIX
class TestLinks:
    def test_link_is_followed_and_kept(self, tmp_path):
        """-o onto a link replaces the file it points to; the link stays a link."""
        (tmp_path / "real").mkdir()
        target = tmp_path / "real" / "out.jsonl"
        target.write_text("old\n")
        target.chmod(0o640)
        link = tmp_path / "out.jsonl"
        link.symlink_to(Path("real") / "out.jsonl")
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(link)]) == 0
        assert link.is_symlink()
        assert link.readlink() == Path("real") / "out.jsonl"
        assert target.read_bytes() == expected()
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        assert leftovers(tmp_path) == leftovers(tmp_path / "real") == []

    def test_dangling_link_creates_its_target(self, tmp_path):
        """A link to a file not yet there is kept, and the file made, as a shell's > would."""
        link = tmp_path / "out.jsonl"
        link.symlink_to(tmp_path / "made.jsonl")
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(link)]) == 0
        assert link.is_symlink()
        assert (tmp_path / "made.jsonl").read_bytes() == expected()

    def test_link_to_a_fifo_is_written_through(self, tmp_path):
        """A link to a FIFO writes into the FIFO; neither is replaced."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        link = tmp_path / "out"
        link.symlink_to(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
        reader.start()
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(link)]) == 0
        reader.join(10)
        assert link.is_symlink()
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert got == [expected()]

    def test_case_save_through_a_link(self, tmp_path):
        """Case.save follows a link as -o does."""
        target = tmp_path / "real.yaml"
        link = tmp_path / "case.yaml"
        claimtrack.Case(title="one").save(target)
        link.symlink_to(target.name)
        claimtrack.Case(title="two").save(link)
        assert link.is_symlink()
        assert claimtrack.load(target).title == "two"

    def test_link_loop_is_a_clean_error(self, tmp_path, capsys):
        """A link that points to itself exits 1 naming it."""
        loop = tmp_path / "loop"
        loop.symlink_to("loop")
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(loop)]) == 1
        assert f"{loop}: cannot be written: Too many levels of symbolic links" in (
            capsys.readouterr().err
        )


# ---- modes and owners -------------------------------------------------------------------------


@POSIX
class TestModes:
    @pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
    def test_new_files_honour_the_umask(self, tmp_path, umask, mode):
        """A new file's mode is 0666 less the umask, as for any other program's files."""
        out = tmp_path / "out.jsonl"
        argv = [sys.executable, "-m", "claimtrack", "export", str(SEED), "--to", "jsonl"]
        subprocess.run([*argv, "-o", str(out)], check=True, umask=umask)
        assert stat.S_IMODE(out.stat().st_mode) == mode
        new = tmp_path / "new.yaml"
        subprocess.run(
            [sys.executable, "-m", "claimtrack", "new", str(new)], check=True, umask=umask
        )
        assert stat.S_IMODE(new.stat().st_mode) == mode

    @pytest.mark.parametrize(("before", "after"), [(0o600, 0o600), (0o4755, 0o755)])
    def test_existing_files_keep_their_mode(self, tmp_path, before, after):
        """Replacing a file keeps its permission bits, but never makes new content set-user-id."""
        out = tmp_path / "out.jsonl"
        out.write_text("old\n")
        out.chmod(before)
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == after

    @ROOT_ONLY
    def test_existing_files_keep_their_owner(self, tmp_path):
        """Root replacing a user's file leaves it that user's."""
        out = tmp_path / "out.jsonl"
        out.write_text("old\n")
        os.chown(out, 65534, 65534)
        out.chmod(0o640)
        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(out)]) == 0
        info = out.stat()
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)

    def test_temporary_file_is_private_and_recognisable(self, tmp_path):
        """While written, the content sits in a 0600 file beside the target, named for it."""
        target = tmp_path / "case.yaml"
        with atomic_file(target) as out:
            out.write(b"x")
            [name] = leftovers(tmp_path)
            assert name.startswith(".case.yaml.")
            assert f"-{os.getpid()}-" in name
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
        assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]

    def test_a_long_name_is_written(self, tmp_path):
        """A target whose name is near the 255-byte limit still gets a temporary file."""
        target = tmp_path / ("a" * 250 + ".json")
        atomic_write(target, b"x")
        assert target.read_bytes() == b"x"
        assert leftovers(tmp_path) == []


# ---- leftovers of killed writers --------------------------------------------------------------


def temp_name(target: str, *, host: str | None = None, pid: int | None = None) -> str:
    host = _atomic._host() if host is None else host
    pid = os.getpid() if pid is None else pid
    return f".{target}.{host}-{pid}-0123456789ab{TEMP_SUFFIX}"


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture(name="store")
def _store(tmp_path_factory):
    """A store of 900 questions, for streaming."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.pop(0)
    folder = tmp_path_factory.mktemp("store")
    case_file = folder / "corpus.json"
    case_file.write_text(json.dumps(corpus.generate(3_000)), encoding="utf-8")
    db = folder / "corpus.db"
    assert main(["import", str(case_file), str(db)]) == 0
    return db


@POSIX
class TestLeftovers:
    def test_which_leftovers_go(self, tmp_path):
        """Only the target's own leftovers whose writer is gone are removed; nothing else."""
        old = time.time() - _atomic.STALE_AFTER - 60
        live = temp_name("case.yaml")
        dead = temp_name("case.yaml", pid=dead_pid())
        elsewhere = temp_name("case.yaml", host="00000000", pid=dead_pid())
        elsewhere_stale = temp_name("case.yaml", host="11111111")
        live_stale = temp_name("case.yaml", pid=1)
        other_target = temp_name("other.yaml", pid=dead_pid())
        unrelated = ".case.yaml.notes.claimtrack-tmp"
        for name in (live, dead, elsewhere, elsewhere_stale, live_stale, other_target, unrelated):
            (tmp_path / name).write_text("partial")
        for name in (elsewhere_stale, live_stale):
            os.utime(tmp_path / name, (old, old))
        link = temp_name("case.yaml", pid=dead_pid()).replace("0123456789ab", "ba9876543210")
        (tmp_path / link).symlink_to(tmp_path / "other.yaml")
        atomic_write(tmp_path / "case.yaml", b"new")
        assert leftovers(tmp_path) == sorted([live, elsewhere, other_target, unrelated, link])

    @ROOT_ONLY
    def test_others_leftovers_stay(self, tmp_path):
        """A leftover of another user is theirs to remove, even when its writer is gone."""
        theirs = tmp_path / temp_name("case.yaml", pid=dead_pid())
        theirs.write_text("partial")
        os.chown(theirs, 65534, 65534)
        atomic_write(tmp_path / "case.yaml", b"new")
        assert leftovers(tmp_path) == [theirs.name]

    def test_kill_9_mid_stream(self, store, tmp_path):
        """kill -9 of assess --stream -o leaves its temporary file; the next write removes it.

        While the killed writer's process still exists (here: stopped), its file is left alone.
        """
        out = tmp_path / "rows.jsonl"
        args = ["assess", str(store), "--stream", "--part-size", "1", "--format", "jsonl"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "claimtrack", *args, "-o", str(out)], stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 60
            while not any(
                p.name.endswith(TEMP_SUFFIX) and p.stat().st_size > 0 for p in tmp_path.iterdir()
            ):
                assert proc.poll() is None, "the writer finished before it could be killed"
                assert time.monotonic() < deadline
                time.sleep(0.002)
            proc.send_signal(signal.SIGSTOP)
            [left] = leftovers(tmp_path)
            assert main([*args, "--part-size", "100", "-o", str(out)]) == 0
            assert leftovers(tmp_path) == [left]
        finally:
            proc.kill()
            proc.wait()
        assert proc.returncode == -signal.SIGKILL
        assert leftovers(tmp_path) == [left]
        assert main([*args, "--part-size", "100", "-o", str(out)]) == 0
        assert leftovers(tmp_path) == []
        assert len(out.read_text(encoding="utf-8").splitlines()) == 900


# ---- terminals get no control characters from the data ----------------------------------------


class Terminal(io.StringIO):
    """Standard output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class TestTerminal:
    @pytest.mark.parametrize(
        "argv",
        [
            ["export", "{case}", "--to", "csv"],
            ["export", "{case}", "--to", "yaml"],
            ["export", "{case}", "--to", "jsonl"],
            ["export", "{case}", "--to", "json"],
            ["assess", "{case}", "--format", "csv"],
            ["assess", "{case}", "--format", "jsonl"],
        ],
    )
    def test_no_control_character_reaches_a_terminal(self, hostile, monkeypatch, argv):
        """On a terminal every format is made inert; only line ends and tabs pass."""
        terminal = Terminal()
        monkeypatch.setattr(sys, "stdout", terminal)
        assert main([a.format(case=hostile) for a in argv]) == 0
        text = terminal.getvalue()
        assert not any(ch in text for ch in RAW)
        assert text.replace("\r\n", "\n").isprintable() is False  # line ends are kept
        assert all(ch.isprintable() or ch in "\n\t" for ch in text.replace("\r\n", "\n"))

    def test_csv_on_a_terminal_spells_out_escapes(self, hostile, monkeypatch):
        """The characters are shown as escapes, so the reader sees they are there."""
        terminal = Terminal()
        monkeypatch.setattr(sys, "stdout", terminal)
        assert main(["export", str(hostile), "--to", "csv"]) == 0
        text = terminal.getvalue()
        assert "Security \\x1b]0;pwned\\x07 Cell \\u202e" in text
        assert "Iraqi \\x9b forces" in text
        assert text.endswith("\r\n")
        assert "\\x0d" not in text

    def test_pipes_and_files_keep_the_data(self, hostile, tmp_path, capsys):
        """Off a terminal the data is exact: a CSV cell holds what the case holds."""
        assert main(["export", str(hostile), "--to", "csv"]) == 0
        assert "Security \x1b]0;pwned\x07 Cell \u202e" in capsys.readouterr().out
        out = tmp_path / "out.csv"
        assert main(["export", str(hostile), "--to", "csv", "-o", str(out)]) == 0
        assert "Security \x1b]0;pwned\x07 Cell \u202e" in out.read_text(encoding="utf-8")

    def test_stream_to_a_terminal(self, hostile, tmp_path, monkeypatch):
        """assess --stream goes through the same guard."""
        db = tmp_path / "hostile.db"
        assert main(["import", str(hostile), str(db)]) == 0
        terminal = Terminal()
        monkeypatch.setattr(sys, "stdout", terminal)
        assert main(["assess", str(db), "--stream", "--format", "csv"]) == 0
        text = terminal.getvalue()
        assert "Iraqi \\x9b forces" in text
        assert not any(ch in text for ch in RAW)

    @pytest.mark.skipif(sys.platform != "linux", reason="a real pseudo-terminal")
    @pytest.mark.parametrize("out", [None, "/dev/stdout", "tty"])
    def test_a_real_terminal(self, hostile, out):
        """Run as users run it, on a pseudo-terminal: -, -o /dev/stdout and -o /dev/pts/N."""
        import pty
        import termios

        leader, follower = pty.openpty()
        attrs = termios.tcgetattr(follower)
        attrs[1] &= ~termios.OPOST  # the bytes as written, no CRLF translation
        termios.tcsetattr(follower, termios.TCSANOW, attrs)
        extra = [] if out is None else ["-o", os.ttyname(follower) if out == "tty" else out]
        proc = subprocess.Popen(
            [sys.executable, "-c", GUARDED, "export", str(hostile), "--to", "csv", *extra],
            stdout=follower,
            stderr=subprocess.DEVNULL,
        )
        os.close(follower)
        data = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            data += chunk
        os.close(leader)
        assert proc.wait(30) == 0
        assert b"Security \\x1b]0;pwned\\x07 Cell \\u202e" in data
        assert not any(ch.encode() in data for ch in RAW)


# ---- arguments that end in a file must be text ------------------------------------------------


class TestArguments:
    def test_undecodable_title(self, tmp_path, capsys):
        """A --title holding a byte argv could not decode exits 2 naming --title; no file is written."""
        path = tmp_path / "case.yaml"
        assert main(["new", str(path), "--title", "bad \udcff byte"]) == 2
        err = capsys.readouterr().err
        assert "argument --title: holds the byte \\xff" in err
        assert not path.exists()

    def test_undecodable_reviewer(self, tmp_path, capsys):
        """--reviewer is checked the same way."""
        out = tmp_path / "reviews.json"
        argv = ["export", str(SEED), "--to", "claimreview", "--reviewer", "Desk \udce9"]
        assert main([*argv, "-o", str(out)]) == 2
        assert "argument --reviewer: holds the byte \\xe9" in capsys.readouterr().err
        assert not out.exists()

    @pytest.mark.skipif(os.name != "posix", reason="bytes in argv")
    def test_raw_bytes_in_argv(self, tmp_path):
        """Run as users run it: the raw byte in argv is refused, not written as a surrogate."""
        path = tmp_path / "case.yaml"
        r = subprocess.run(
            [sys.executable, "-m", "claimtrack", "new", str(path), "--title", b"bad \xff byte"],
            capture_output=True,
            check=False,
        )
        assert r.returncode == 2
        assert b"--title" in r.stderr
        assert b"Traceback" not in r.stderr
        assert not path.exists()

    def test_unencodable_data_is_a_clean_error(self, tmp_path):
        """Data holding a lone surrogate is refused with the file named, never half written."""
        from claimtrack.cli import _emit

        out = tmp_path / "out.csv"
        with pytest.raises(CaseFileError, match="U\\+DCFF, a lone surrogate") as info:
            _emit("a\udcffb", str(out))
        assert info.value.file == str(out)
        assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_output_file_replaces_regular_files_atomically(tmp_path):
    """output_file on a regular file keeps the old content until the block ends well."""
    out = tmp_path / "out.txt"
    out.write_text("old")

    def fail_midway() -> None:
        with output_file(out) as f:
            f.write(b"new")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_midway()
    assert out.read_text() == "old"
    with output_file(out) as f:
        f.write(b"new")
        assert out.read_text() == "old"
    assert out.read_text() == "new"
    assert leftovers(tmp_path) == []
