// Command interop checks HDT against independent Go implementations of the C2SP
// transparency-log specs: torchwood's tlog-tiles client and golang.org/x/mod's tlog proofs
// follow HDT's ledger; a Go log built on x/mod's note and tlog packages drives HDT's
// witness, and transparency-dev/formats verifies the cosignatures it returns.
//
// Each subcommand prints one JSON object on stdout and exits non-zero on the first check
// that fails, saying which.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"filippo.io/torchwood"
	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: interop follow|genkey|witness ...")
	}
	var err error
	switch os.Args[1] {
	case "follow":
		err = follow(os.Args[2:])
	case "genkey":
		err = genkey(os.Args[2:])
	case "witness":
		err = witness(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "interop:", msg)
	os.Exit(1)
}

func emit(v any) error {
	return json.NewEncoder(os.Stdout).Encode(v)
}

// follow reads a tlog-tiles log from its prefix: the checkpoint (signature checked), every
// entry through torchwood's client (which checks each bundle against the tree), an
// inclusion proof of every entry and a consistency proof from an older checkpoint, both
// built by x/mod's tlog from the tiles and checked against the signed roots.
func follow(args []string) error {
	fs := flag.NewFlagSet("follow", flag.ExitOnError)
	prefix := fs.String("prefix", "", "the log's URL prefix (…/ledger/)")
	vkey := fs.String("vkey", "", "the log's note verifier key")
	oldPath := fs.String("old", "", "a file holding an earlier signed checkpoint")
	fs.Parse(args)
	verifier, err := note.NewVerifier(*vkey)
	if err != nil {
		return fmt.Errorf("log key: %w", err)
	}
	ctx := context.Background()
	fetcher, err := torchwood.NewTileFetcher(*prefix)
	if err != nil {
		return err
	}
	raw, err := fetcher.ReadEndpoint(ctx, "checkpoint")
	if err != nil {
		return fmt.Errorf("fetching the checkpoint: %w", err)
	}
	checkpoint, err := openCheckpoint(raw, verifier)
	if err != nil {
		return err
	}
	tree := checkpoint.Tree
	client, err := torchwood.NewClient(fetcher, torchwood.WithTimeout(time.Minute))
	if err != nil {
		return err
	}
	var entries [][]byte
	for int64(len(entries)) < tree.N {
		before := len(entries)
		for i, entry := range client.Entries(ctx, tree, int64(len(entries))) {
			if i != int64(len(entries)) {
				return fmt.Errorf("entry %d came when %d was due", i, len(entries))
			}
			entries = append(entries, entry)
		}
		if err := client.Err(); err != nil {
			return fmt.Errorf("following the log: %w", err)
		}
		if len(entries) == before {
			return fmt.Errorf("the client stopped at entry %d of %d", before, tree.N)
		}
	}
	for i, entry := range entries {
		var e struct {
			Chain struct {
				Seq int64 `json:"seq"`
			} `json:"chain"`
		}
		if err := json.Unmarshal(entry, &e); err != nil || e.Chain.Seq != int64(i) {
			return fmt.Errorf("entry %d is not HDT entry %d", i, i)
		}
	}
	hashes := torchwood.TileHashReaderWithContext(ctx, tree, fetcher)
	for i, entry := range entries {
		proof, err := tlog.ProveRecord(tree.N, int64(i), hashes)
		if err != nil {
			return fmt.Errorf("inclusion proof of entry %d: %w", i, err)
		}
		if err := tlog.CheckRecord(proof, tree.N, tree.Hash, int64(i), tlog.RecordHash(entry)); err != nil {
			return fmt.Errorf("inclusion of entry %d: %w", i, err)
		}
	}
	// The client's own path: one entry and its proof, fetched as a verifier would.
	if tree.N > 0 {
		if _, _, err := client.Entry(ctx, tree, tree.N-1); err != nil {
			return fmt.Errorf("Client.Entry: %w", err)
		}
	}
	oldSize := int64(-1)
	if *oldPath != "" {
		oldRaw, err := os.ReadFile(*oldPath)
		if err != nil {
			return err
		}
		old, err := openCheckpoint(oldRaw, verifier)
		if err != nil {
			return fmt.Errorf("the older checkpoint: %w", err)
		}
		proof, err := tlog.ProveTree(tree.N, old.N, hashes)
		if err != nil {
			return fmt.Errorf("consistency proof: %w", err)
		}
		if err := tlog.CheckTree(proof, tree.N, tree.Hash, old.N, old.Hash); err != nil {
			return fmt.Errorf("consistency from %d to %d: %w", old.N, tree.N, err)
		}
		oldSize = old.N
	}
	return emit(map[string]any{
		"origin": checkpoint.Origin, "tree_size": tree.N, "entries": len(entries),
		"inclusion_checked": len(entries), "consistent_from": oldSize,
	})
}

func openCheckpoint(raw []byte, verifier note.Verifier) (torchwood.Checkpoint, error) {
	n, err := note.Open(raw, note.VerifierList(verifier))
	if err != nil {
		return torchwood.Checkpoint{}, fmt.Errorf("the checkpoint does not verify: %w", err)
	}
	c, err := torchwood.ParseCheckpoint(n.Text)
	if err != nil {
		return torchwood.Checkpoint{}, fmt.Errorf("the checkpoint does not parse: %w", err)
	}
	if c.Origin != verifier.Name() {
		return torchwood.Checkpoint{}, fmt.Errorf("the checkpoint is for %q", c.Origin)
	}
	return c, nil
}

// genkey prints a fresh Ed25519 note signer key and its verifier key, one per line.
func genkey(args []string) error {
	fs := flag.NewFlagSet("genkey", flag.ExitOnError)
	name := fs.String("name", "", "the key's name (a log's origin)")
	fs.Parse(args)
	skey, vkey, err := note.GenerateKey(rand.Reader, *name)
	if err != nil {
		return err
	}
	fmt.Println(skey)
	fmt.Println(vkey)
	return nil
}

// memLog is a log held in memory: its entries and every stored hash, as x/mod's tlog
// lays them out.
type memLog struct {
	hashes []tlog.Hash
	n      int64
}

func (l *memLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = l.hashes[x]
	}
	return out, nil
}

func (l *memLog) add(entry []byte) {
	hs, err := tlog.StoredHashes(l.n, entry, l)
	if err != nil {
		panic(err)
	}
	l.hashes = append(l.hashes, hs...)
	l.n++
}

func (l *memLog) root(n int64) tlog.Hash {
	h, err := tlog.TreeHash(n, l)
	if err != nil {
		panic(err)
	}
	return h
}

type submitter struct {
	url      string
	signer   note.Signer
	origin   string
	verifier note.Verifier // the witness's cosignature key
}

// checkpoint signs the checkpoint of the first n entries of log.
func (s *submitter) checkpoint(log *memLog, n int64) []byte {
	text := torchwood.Checkpoint{Origin: s.origin, Tree: tlog.Tree{N: n, Hash: log.root(n)}}.String()
	signed, err := note.Sign(&note.Note{Text: text}, s.signer)
	if err != nil {
		panic(err)
	}
	return signed
}

func (s *submitter) post(old int64, proof tlog.TreeProof, signed []byte) (int, string, http.Header, error) {
	var body bytes.Buffer
	fmt.Fprintf(&body, "old %d\n", old)
	for _, h := range proof {
		fmt.Fprintf(&body, "%s\n", h)
	}
	body.WriteString("\n")
	body.Write(signed)
	resp, err := http.Post(s.url+"/add-checkpoint", "text/plain", &body)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer), resp.Header, err
}

// cosign submits a checkpoint that must be cosigned, and checks the cosignature with
// transparency-dev/formats' cosignature/v1 verifier; returns its timestamp.
func (s *submitter) cosign(log *memLog, old, n int64) (int64, error) {
	var proof tlog.TreeProof
	if old > 0 {
		var err error
		if proof, err = tlog.ProveTree(n, old, log); err != nil {
			return 0, err
		}
	}
	signed := s.checkpoint(log, n)
	status, answer, _, err := s.post(old, proof, signed)
	if err != nil {
		return 0, err
	}
	if status != http.StatusOK {
		return 0, fmt.Errorf("checkpoint %d (from %d): status %d: %s", n, old, status, answer)
	}
	cosigned := append(signed, []byte(answer)...)
	opened, err := note.Open(cosigned, note.VerifierList(s.verifier))
	if err != nil {
		return 0, fmt.Errorf("checkpoint %d: the cosignature does not verify: %w", n, err)
	}
	if len(opened.Sigs) != 1 {
		return 0, fmt.Errorf("checkpoint %d: %d cosignatures by the witness, want 1", n, len(opened.Sigs))
	}
	when, err := fnote.CoSigV1Timestamp(opened.Sigs[0])
	if err != nil {
		return 0, err
	}
	return when.Unix(), nil
}

// refused submits a request the witness must refuse with `want`; returns its body.
func (s *submitter) refused(what string, want int, old int64, proof tlog.TreeProof, signed []byte) (string, error) {
	status, answer, header, err := s.post(old, proof, signed)
	if err != nil {
		return "", err
	}
	if status != want {
		return "", fmt.Errorf("%s: status %d (%s), want %d", what, status, strings.TrimSpace(answer), want)
	}
	if want == http.StatusConflict && header.Get("Content-Type") != "text/x.tlog.size" {
		return "", fmt.Errorf("%s: a 409 must be text/x.tlog.size, not %q", what, header.Get("Content-Type"))
	}
	return answer, nil
}

// witness plays a log against a tlog-witness: it grows, is cosigned at each size, and
// then misbehaves in every way the spec names, each refused with the spec's status.
func witness(args []string) error {
	fs := flag.NewFlagSet("witness", flag.ExitOnError)
	url := fs.String("url", "", "the witness's submission prefix")
	skey := fs.String("log-skey", "", "the log's note signer key")
	wkey := fs.String("witness-vkey", "", "the witness's cosignature verifier key")
	fs.Parse(args)
	signer, err := note.NewSigner(*skey)
	if err != nil {
		return fmt.Errorf("log key: %w", err)
	}
	verifier, err := fnote.NewVerifierForCosignatureV1(*wkey)
	if err != nil {
		return fmt.Errorf("witness key: %w", err)
	}
	s := &submitter{url: strings.TrimSuffix(*url, "/"), signer: signer, origin: signer.Name(), verifier: verifier}
	log := &memLog{}
	for i := range 40 {
		log.add([]byte(fmt.Sprintf("entry %d\n", i)))
	}
	results := map[string]any{}
	sizes := []int64{0, 3, 8, 13, 20}
	var stamps []int64
	for i := 1; i < len(sizes); i++ {
		when, err := s.cosign(log, sizes[i-1], sizes[i])
		if err != nil {
			return err
		}
		stamps = append(stamps, when)
	}
	results["cosigned_sizes"] = sizes[1:]
	results["timestamps"] = stamps
	latest := sizes[len(sizes)-1]

	// A stale old size: 409, and the body names the size the witness holds.
	stale, _ := tlog.ProveTree(25, 13, log)
	answer, err := s.refused("stale old size", http.StatusConflict, 13, stale, s.checkpoint(log, 25))
	if err != nil {
		return err
	}
	if answer != strconv.FormatInt(latest, 10)+"\n" {
		return fmt.Errorf("the 409 body is %q, want %d", answer, latest)
	}
	results["conflict_body"] = answer

	// A fork: another history of the same log, at the size the witness holds and beyond.
	fork := &memLog{}
	for i := range 40 {
		if i == 5 {
			fork.add([]byte("a rewritten entry\n"))
		} else {
			fork.add([]byte(fmt.Sprintf("entry %d\n", i)))
		}
	}
	if _, err := s.refused("same size, another root", http.StatusUnprocessableEntity, latest, nil, s.checkpoint(fork, latest)); err != nil {
		return err
	}
	forkProof, _ := tlog.ProveTree(30, latest, fork)
	if _, err := s.refused("a fork's consistency proof", http.StatusUnprocessableEntity, latest, forkProof, s.checkpoint(fork, 30)); err != nil {
		return err
	}
	// A proof that is not one: the right proof with a hash flipped.
	good, _ := tlog.ProveTree(30, latest, log)
	bad := append(tlog.TreeProof{}, good...)
	bad[0][0] ^= 1
	if _, err := s.refused("a damaged proof", http.StatusUnprocessableEntity, latest, bad, s.checkpoint(log, 30)); err != nil {
		return err
	}
	// An old size past the checkpoint's.
	if _, err := s.refused("old size past the checkpoint", http.StatusBadRequest, 30, nil, s.checkpoint(log, latest)); err != nil {
		return err
	}
	// A checkpoint whose log signature does not verify.
	forged := s.checkpoint(log, 30)
	forged = bytes.Replace(forged, []byte("\n30\n"), []byte("\n31\n"), 1)
	if _, err := s.refused("a forged signature", http.StatusForbidden, latest, good, forged); err != nil {
		return err
	}
	// A log the witness does not know.
	otherSkey, _, _ := note.GenerateKey(rand.Reader, "example.test/unknown-log")
	other, _ := note.NewSigner(otherSkey)
	stranger := &submitter{url: s.url, signer: other, origin: other.Name(), verifier: verifier}
	if _, err := stranger.refused("an unknown origin", http.StatusNotFound, 0, nil, stranger.checkpoint(log, 3)); err != nil {
		return err
	}
	// After all that, the honest log still extends what was cosigned.
	if _, err := s.cosign(log, latest, 30); err != nil {
		return fmt.Errorf("after the refusals: %w", err)
	}
	results["final_size"] = 30
	return emit(results)
}
