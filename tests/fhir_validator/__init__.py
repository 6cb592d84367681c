"""HAPI FHIR's R4 validator, for the tests: the Maven module beside this file (pom.xml and
src/main/java/hdt/ValidateBundles.java), built on first use, run offline over JSON files.

`hapi-fhir-validation` with the R4 structures and the core definitions packaged with it, from
Maven Central; no terminology server. The first build downloads its jars into ~/.m2.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE / "target"
CLASSPATH = TARGET / "classpath.txt"
STAMP = TARGET / "built.stamp"


@dataclass(frozen=True)
class Message:
    file: str
    severity: str
    location: str
    text: str


def _digest() -> str:
    sources = [HERE / "pom.xml", *sorted((HERE / "src").rglob("*.java"))]
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()


def build() -> str:
    """The validator's Java classpath, compiling it with Maven when the sources changed."""
    digest = _digest()
    if not (STAMP.exists() and STAMP.read_text().strip() == digest and CLASSPATH.exists()):
        mvn = shutil.which("mvn")
        assert mvn is not None, "Maven (mvn) builds HAPI FHIR's validator for these tests"
        subprocess.run([mvn, "-B", "-q", "-f", str(HERE / "pom.xml"), "compile",
                        "dependency:build-classpath", f"-Dmdep.outputFile={CLASSPATH}"],
                       check=True, capture_output=True, timeout=1800)
        STAMP.write_text(digest + "\n")
    return f"{TARGET / 'classes'}:{CLASSPATH.read_text().strip()}"


def validate(files: list[Path]) -> list[Message]:
    """Every message HAPI's validator gives for the files, in one run of the JVM."""
    java = shutil.which("java")
    assert java is not None, "Java runs HAPI FHIR's validator for these tests"
    run = subprocess.run([java, "-cp", build(), "hdt.ValidateBundles", *map(str, files)],
                         check=True, capture_output=True, text=True, timeout=1800)
    found = []
    for line in run.stdout.splitlines():
        file, severity, location, text = line.split("\t", 3)
        found.append(Message(file, severity, location, text))
    return found
