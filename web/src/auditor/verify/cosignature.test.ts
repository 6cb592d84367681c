// Cosignatures made by litewitness (filippo.io/torchwood v0.6.1), not by HDT: the fixture is
// one add-checkpoint answer of a real litewitness (tests/interop/litewitness.py made it).
import { describe, expect, it } from "vitest";
import { InvalidKey, openCheckpoint, parseVerifierKey } from "./note";
import { cosignaturesOn, parseWitnessKey } from "./cosignature";
import fixture from "./fixtures/cosigned.json";

describe("tlog-cosignature/v1", () => {
  const key = parseWitnessKey(fixture.witnessKey);

  it("verifies litewitness's cosignature on a checkpoint the log signed", () => {
    expect(openCheckpoint(fixture.note, parseVerifierKey(fixture.logKey)).ok).toBe(true);
    const found = cosignaturesOn(fixture.note, [key]);
    expect(found.map((c) => c.witness)).toEqual(["witness.example/litewitness"]);
    expect(found[0].timestamp).toBeGreaterThan(1_700_000_000);
  });

  it("finds none on another tree, or under another key of the same name", () => {
    expect(cosignaturesOn(fixture.note.replace("\n5\n", "\n6\n"), [key])).toEqual([]);
    const other = { ...key, publicKey: key.publicKey.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    expect(cosignaturesOn(fixture.note, [other])).toEqual([]);
  });

  it("refuses a log's note key as a witness key", () => {
    expect(() => parseWitnessKey(fixture.logKey)).toThrow(InvalidKey);
    expect(() => parseWitnessKey(fixture.witnessKey.replace("+5e", "+5f"))).toThrow(InvalidKey);
  });
});
