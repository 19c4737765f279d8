#!/usr/bin/env python3
"""Mutation generator for planparse PDF inputs: 4,000 seeded mutants of corpus/*.pdf (bit flips,
truncations, duplicated and swapped ranges, corrupted xref and /Length numbers, edited content
streams, CMaps, fonts, dictionaries, references and page trees). Fixed seed: the same files
every run. Run from the project root:
    python3 tests/hostile/gen_pdf.py [OUTDIR]    # default target/mutants/pdf
writes OUTDIR/NNNNN-kind.pdf. From the probing of issue 18 (the 2026-12-04 build: 88 aborts,
16 panics); scripts/hostile_run.py runs planparse over the output."""
import glob, os, random, re, sys, zlib

SEED = 20261204
OUT = sys.argv[1] if len(sys.argv) > 1 else 'target/mutants/pdf'
os.makedirs(OUT, exist_ok=True)
rng = random.Random(SEED)
SRC = sorted(glob.glob('corpus/*.pdf'))
DATA = {os.path.basename(p): open(p, 'rb').read() for p in SRC}
NAMES = sorted(DATA)

OBJ_RE = re.compile(rb'(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj', re.S)


def parse_objects(d):
    objs = {}
    for m in OBJ_RE.finditer(d):
        objs[int(m.group(1))] = [int(m.group(2)), m.group(3)]
    tm = list(re.finditer(rb'trailer\s*(<<.*?>>)\s*startxref', d, re.S))
    trailer = tm[-1].group(1) if tm else b'<< /Size 1 >>'
    return objs, trailer


def split_stream(body):
    """-> (dict_bytes, raw_stream_bytes) or None"""
    m = re.search(rb'stream\r?\n', body)
    if not m:
        return None
    e = body.rfind(b'endstream')
    if e < m.end():
        return None
    raw = body[m.end():e]
    if raw.endswith(b'\r\n'):
        raw = raw[:-2]
    elif raw.endswith(b'\n'):
        raw = raw[:-1]
    return body[:m.start()], raw


def inflate(raw):
    try:
        return zlib.decompressobj().decompress(raw)
    except Exception:
        return None


def set_length(dct, n, compressed=True):
    dct = re.sub(rb'/Length\s+\d+\s+\d+\s+R', b'/Length %d' % n, dct, count=1)
    dct = re.sub(rb'/Length\s+\d+(?![\d\s]*R)', b'/Length %d' % n, dct, count=1)
    if not compressed:
        dct = re.sub(rb'/Filter\s*/FlateDecode', b'', dct)
        dct = re.sub(rb'/DecodeParms\s*<<[^>]*>>', b'', dct)
    return dct


def make_stream_body(dct, data, compress=True):
    if compress:
        payload = zlib.compress(data, 6)
    else:
        payload = data
    dct = set_length(dct, len(payload), compress)
    return dct.rstrip() + b'\nstream\n' + payload + b'\nendstream\n'


def rebuild(objs, trailer, header=b'%PDF-1.6\n%\xe2\xe3\xcf\xd3\n'):
    out = bytearray(header)
    offs = {}
    for num in sorted(objs):
        gen, body = objs[num]
        offs[num] = len(out)
        out += b'%d %d obj' % (num, gen) + body + b'endobj\n'
    size = max(objs) + 1 if objs else 1
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % size
    for i in range(1, size):
        if i in offs:
            out += b'%010d %05d n \n' % (offs[i], objs[i][0])
        else:
            out += b'0000000000 65535 f \n'
    tr = re.sub(rb'/Size\s+\d+', b'/Size %d' % size, trailer)
    tr = re.sub(rb'/Prev\s+\d+', b'', tr)
    out += b'trailer\n' + tr + b'\nstartxref\n%d\n%%%%EOF\n' % xref
    return bytes(out)


EXTREME_NUMS = [b'0', b'-1', b'1', b'-0', b'2147483647', b'2147483648', b'4294967296', b'-2147483649',
                b'9223372036854775807', b'18446744073709551616', b'99999999999999999999999999',
                b'1e308', b'-1e308', b'3.4e38', b'.', b'-', b'0.0000000001', b'NaN', b'inf', b'1.5.5', b'--5', b'65535',
                b'100000000']
OPERATORS = [b'q', b'Q', b'cm', b'BT', b'ET', b'Tf', b'Tj', b'TJ', b'Td', b'TD', b'Tm', b'T*', b"'", b'"', b'Tz', b'TL',
             b'Tc', b'Tw', b'Ts', b'Tr', b're', b'm', b'l', b'f', b'S', b'Do', b'BDC', b'EMC', b'BMC', b'gs', b'cs',
             b'CS', b'sc', b'rg', b'BI', b'ID', b'EI', b'd0', b'd1', b'W', b'n', b'h', b'c', b'v', b'y', b'sh', b'MP',
             b'DP', b'BX', b'EX', b'i', b'j', b'J', b'w', b'M', b'd', b'ri', b'scn', b'SCN', b'g', b'G', b'k', b'K']
SNIPPETS = [
    lambda: b' q' * rng.choice([100, 5000, 50000]),
    lambda: b' Q' * rng.choice([100, 5000, 50000]),
    lambda: b' BT' * rng.choice([100, 5000]),
    lambda: b' [' + b'(ab) -1000 ' * rng.choice([1000, 100000]) + b'] TJ',
    lambda: b' /F1 ' + rng.choice(EXTREME_NUMS) + b' Tf',
    lambda: b' 0 0 0 0 0 0 Tm (x) Tj',
    lambda: b' 1e308 1e308 1e308 1e308 0 0 cm (x) Tj',
    lambda: b' ' + rng.choice(EXTREME_NUMS) + b' 0 0 ' + rng.choice(EXTREME_NUMS) + b' 0 0 Tm (abc) Tj',
    lambda: b' 0 Tz (abc) Tj',
    lambda: b' /X0 Do /Im1 Do /Fm0 Do',
    lambda: b' BI /W 1000000 /H 1000000 /BPC 8 /CS /RGB ID \x00\x01\x02 EI',
    lambda: b' BI /W 4 /H 4 ID ' + bytes(rng.randrange(256) for _ in range(5)) ,
    lambda: b' (unterminated string \\',
    lambda: b' <4142434',
    lambda: b' [' * rng.choice([1000, 100000]),
    lambda: b' <<' * rng.choice([1000, 100000]),
    lambda: b' /P <</MCID 0>> BDC' * rng.choice([100, 20000]),
    lambda: b' EMC' * 1000,
    lambda: b' ' + b'0 0 1 1 re f ' * rng.choice([1000, 200000]),
    lambda: b' 0 0 m ' + b'1 1 l ' * rng.choice([1000, 200000]) + b'S',
    lambda: b' (\xff\xfe\xfd\x00\x01) Tj <FFFE0000D800DC00> Tj',
    lambda: b' 1 0 0 1 0 0 Tm ' + b'(x) Tj 0 -1e-9 Td ' * 20000,
    lambda: b' /Span <</ActualText (\xfe\xff\xd8\x00)>> BDC (x) Tj EMC',
    lambda: b' /Artifact BMC (hdr) Tj',
    lambda: b' /H1 <</MCID 99999999999>> BDC (t) Tj EMC',
]


def tokens(data):
    return re.findall(rb'\s+|\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|<<|>>|\[|\]|/[^\s/\[\]()<>{}%]*|[^\s/\[\]()<>{}%]+|.', data, re.S)


def mutate_tokens(data, nmut=None):
    toks = tokens(data)
    if not toks:
        return data + rng.choice(SNIPPETS)()
    nmut = nmut or rng.choice([1, 1, 2, 3, 5, 10, 30])
    for _ in range(nmut):
        if not toks:
            break
        op = rng.randrange(8)
        i = rng.randrange(len(toks))
        if op == 0:  # delete tokens
            del toks[i:i + rng.choice([1, 1, 2, 5, 50])]
        elif op == 1:  # duplicate slice
            j = min(len(toks), i + rng.choice([1, 5, 50, 500]))
            k = rng.randrange(len(toks) + 1)
            piece = toks[i:j] * rng.choice([1, 2, 10, 100])
            if sum(map(len, piece)) < 4_000_000:
                toks[k:k] = piece
        elif op == 2:  # number -> extreme
            nums = [t for t in range(len(toks)) if re.fullmatch(rb'[-+]?[\d.]+', toks[t])]
            if nums:
                toks[rng.choice(nums)] = rng.choice(EXTREME_NUMS)
        elif op == 3:  # operator swap
            ops = [t for t in range(len(toks)) if toks[t] in OPERATORS]
            if ops:
                toks[rng.choice(ops)] = rng.choice(OPERATORS)
        elif op == 4:  # insert snippet
            toks.insert(i, rng.choice(SNIPPETS)() + b' ')
        elif op == 5:  # swap two slices
            j = rng.randrange(len(toks))
            toks[i], toks[j] = toks[j], toks[i]
        elif op == 6:  # corrupt string/hex content
            strs = [t for t in range(len(toks)) if toks[t][:1] in (b'(', b'<') and toks[t] != b'<<']
            if strs:
                t = rng.choice(strs)
                b = bytearray(toks[t])
                for _ in range(rng.choice([1, 3, 10])):
                    if len(b) > 2:
                        b[rng.randrange(1, len(b) - 1)] = rng.randrange(256)
                toks[t] = bytes(b)
        else:  # name corruption
            names = [t for t in range(len(toks)) if toks[t].startswith(b'/')]
            if names:
                toks[rng.choice(names)] = rng.choice([b'/', b'/#00', b'/#ZZ', b'/' + b'A' * 70000, b'/F99', b'/Identity-H', b'/Type0', b'/Encoding', b'/Differences'])
    out = b''.join(toks)
    return out if len(out) < 40_000_000 else out[:40_000_000]


# ---------------- byte-level mutators ----------------

def m_bitflip(d):
    b = bytearray(d)
    for _ in range(rng.choice([1, 2, 4, 8, 16, 64, 256])):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


INTERESTING = b'\x00\xff()<>[]/%0123456789 \n\rR'


def m_byteset(d):
    b = bytearray(d)
    for _ in range(rng.choice([1, 2, 4, 16, 64])):
        b[rng.randrange(len(b))] = rng.choice(INTERESTING)
    return bytes(b)


def m_truncate(d):
    r = rng.random()
    if r < 0.3:
        cut = rng.randrange(len(d) - 2048, len(d))
    elif r < 0.4:
        cut = rng.randrange(0, 2048)
    else:
        cut = rng.randrange(len(d))
    return d[:cut]


def rlen():
    return rng.choice([1, 2, 7, 16, 100, 500, 2000, 10000, 40000])


def m_delete(d):
    i = rng.randrange(len(d))
    return d[:i] + d[i + rlen():]


def m_dup(d):
    i = rng.randrange(len(d))
    chunk = d[i:i + rlen()]
    k = rng.randrange(len(d))
    return d[:k] + chunk * rng.choice([1, 1, 2, 5]) + d[k:]


def m_splice(d):
    other = DATA[rng.choice(NAMES)]
    r = rng.random()
    if r < 0.3:  # head of one + tail of the other
        return d[:rng.randrange(len(d))] + other[rng.randrange(len(other)):]
    # swap a chunk
    n = rlen()
    i = rng.randrange(len(d))
    j = rng.randrange(len(other))
    return d[:i] + other[j:j + n] + d[i + (n if rng.random() < 0.7 else rlen()):]


NUM_CTX = [rb'/Length\s+(\d+)', rb'(\d{10}) \d{5} [nf]', rb'startxref\s+(\d+)', rb'/Size\s+(\d+)', rb'/Count\s+(\d+)',
           rb'/First\s+(\d+)', rb'/N\s+(\d+)', rb'/Prev\s+(\d+)', rb'/Length1\s+(\d+)', rb'/FirstChar\s+(\d+)',
           rb'/LastChar\s+(\d+)', rb'\d{10} (\d{5}) [nf]', rb'xref\s+\d+\s+(\d+)', rb'(\d+) 0 R', rb'(\d+) 0 obj',
           rb'/MediaBox\s*\[\s*([\d.]+)', rb'/StructParents\s+(\d+)']


def num_variant(n):
    return rng.choice([b'0', b'-1', b'1', b'%d' % (n + 1), b'%d' % max(0, n - 1), b'%d' % (n * 2), b'%d' % (n + rng.randrange(1, 5000)),
                       b'2147483647', b'4294967295', b'4294967296', b'9223372036854775807', b'99999999999999999999',
                       b'%d' % rng.randrange(0, 200000), b'0000000000', b'9999999999'])


def m_numcorrupt(d):
    for _ in range(rng.choice([1, 1, 1, 2, 3, 6])):
        pat = rng.choice(NUM_CTX)
        ms = list(re.finditer(pat, d))
        if not ms:
            continue
        m = rng.choice(ms)
        try:
            n = int(m.group(1))
        except ValueError:
            n = 0
        v = num_variant(n)
        d = d[:m.start(1)] + v + d[m.end(1):]
    return d


# --------------- structure-aware (rebuild) mutators ---------------

def stream_objs(objs, want=None):
    res = []
    for num, (gen, body) in objs.items():
        s = split_stream(body)
        if not s:
            continue
        dct, raw = s
        if want == 'content' and (b'/Type' in dct or b'/Length1' in dct or b'/Subtype' in dct):
            continue
        if want == 'font' and b'/Length1' not in dct and b'FontFile' not in dct and b'/Subtype/Type1C' not in dct and b'/Subtype /Type1C' not in dct:
            continue
        res.append(num)
    return res


def is_cmap(data):
    return data is not None and (b'begincmap' in data or b'beginbfchar' in data or b'beginbfrange' in data)


def m_stream_content(d, want='content'):
    objs, tr = parse_objects(d)
    cands = stream_objs(objs, want if want != 'cmap' else None)
    if want == 'cmap':
        cands = [n for n in cands if is_cmap(inflate(split_stream(objs[n][1])[1]))]
    if not cands:
        return None
    for _ in range(rng.choice([1, 1, 2, 3])):
        num = rng.choice(cands)
        gen, body = objs[num]
        dct, raw = split_stream(body)
        data = inflate(raw)
        if data is None:
            continue
        if want == 'font':
            b = bytearray(data)
            for _ in range(rng.choice([1, 4, 16, 100])):
                if b:
                    b[rng.randrange(len(b))] = rng.randrange(256)
            if rng.random() < 0.2 and b:
                b = b[:rng.randrange(len(b))]
            nd = bytes(b)
        elif want == 'cmap':
            nd = mutate_cmap(data)
        else:
            nd = mutate_tokens(data)
        objs[num][1] = make_stream_body(dct, nd, compress=rng.random() < 0.8)
    return rebuild(objs, tr)


CMAP_SNIPS = [
    b'1 beginbfrange <0000> <FFFF> <0041> endbfrange\n',
    b'1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange\n',
    b'1 beginbfrange <0000> <FFFF> [' + b'<0041> ' * 10 + b'] endbfrange\n',
    b'1 beginbfrange <FFFF> <0000> <0041> endbfrange\n',
    b'1 begincodespacerange <00> <FFFFFFFFFFFF> endcodespacerange\n',
    b'1 begincodespacerange <> <> endcodespacerange\n',
    b'1 beginbfchar <0003> <' + b'D800' * 5 + b'> endbfchar\n',
    b'1 beginbfchar <01> <' + b'0041' * 50000 + b'> endbfchar\n',
    b'/Foo usecmap\n/Identity-H usecmap\n',
    b'1 begincidrange <0000> <FFFFFFFF> 0 endcidrange\n',
    b'99999999 beginbfchar\n',
    b'1 beginbfrange <0000> <00FF> <FFFF> endbfrange\n',
]


def mutate_cmap(data):
    if rng.random() < 0.5:
        i = data.find(b'endcmap')
        if i < 0:
            i = len(data)
        return data[:i] + rng.choice(CMAP_SNIPS) + data[i:]
    return mutate_tokens(data)


def m_dict(d):
    objs, tr = parse_objects(d)
    nums = [n for n, (g, b) in objs.items() if not split_stream(b)]
    if not nums:
        return None
    for _ in range(rng.choice([1, 1, 2, 4])):
        num = rng.choice(nums)
        gen, body = objs[num]
        objs[num][1] = mutate_tokens(body, rng.choice([1, 1, 2]))
    return rebuild(objs, tr)


def m_refs(d):
    objs, tr = parse_objects(d)
    allnums = sorted(objs)
    for _ in range(rng.choice([1, 1, 2, 3])):
        num = rng.choice(allnums)
        gen, body = objs[num]
        refs = list(re.finditer(rb'(\d+) (\d+) R', body))
        if not refs:
            continue
        m = rng.choice(refs)
        tgt = rng.choice([num, num, rng.choice(allnums), 0, max(allnums) + 10, 2 ** 31, int(m.group(1))])
        g = rng.choice([b'0', b'0', b'0', b'1', b'65535'])
        body = body[:m.start()] + b'%d %s R' % (tgt, g) + body[m.end():]
        objs[num][1] = body
    return rebuild(objs, tr)


def m_pagetree(d):
    """structural nasties: page-tree cycles, /Parent loops, Kids pointing to non-pages, huge /Count"""
    objs, tr = parse_objects(d)
    pages = [n for n, (g, b) in objs.items() if re.search(rb'/Type\s*/Pages', b)]
    leaves = [n for n, (g, b) in objs.items() if re.search(rb'/Type\s*/Page\b(?!s)', b)]
    if not pages:
        return None
    p = rng.choice(pages)
    body = objs[p][1]
    k = rng.randrange(6)
    if k == 0:
        body = re.sub(rb'/Kids\s*\[', b'/Kids[%d 0 R ' % p, body, count=1)
    elif k == 1:
        body = re.sub(rb'/Count\s+\d+', b'/Count 999999999', body, count=1)
    elif k == 2 and leaves:
        lf = rng.choice(leaves)
        objs[lf][1] = re.sub(rb'/Type\s*/Page\b', b'/Type/Pages/Kids[%d 0 R]/Count 1' % p, objs[lf][1], count=1)
    elif k == 3:
        kids = re.search(rb'/Kids\s*\[([^\]]*)\]', body)
        if kids:
            body = body[:kids.start(1)] + kids.group(1) * rng.choice([2, 50, 1000]) + body[kids.end(1):]
    elif k == 4 and leaves:
        lf = rng.choice(leaves)
        objs[lf][1] = re.sub(rb'/Resources\s*(\d+ 0 R|<<)', lambda m: b'/Resources %d 0 R /X<<' % lf if m.group(1) == b'<<' else b'/Resources %d 0 R' % lf, objs[lf][1], count=1)
    else:
        body = re.sub(rb'/Kids\s*\[[^\]]*\]', b'/Kids[]', body, count=1)
    objs[p][1] = body
    return rebuild(objs, tr)


BYTE_OPS = [('bitflip', m_bitflip, 500), ('byteset', m_byteset, 300), ('trunc', m_truncate, 300),
            ('delete', m_delete, 250), ('dup', m_dup, 250), ('splice', m_splice, 300), ('numcor', m_numcorrupt, 400)]
STRUCT_OPS = [('content', lambda d: m_stream_content(d, 'content'), 500), ('cmap', lambda d: m_stream_content(d, 'cmap'), 200),
              ('font', lambda d: m_stream_content(d, 'font'), 150), ('dict', m_dict, 250), ('refs', m_refs, 200),
              ('pagetree', m_pagetree, 100)]


def main():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    idx = 0

    def write(kind, data):
        nonlocal idx
        if data is None:
            return
        idx += 1
        with open(os.path.join(OUT, '%05d-%s.pdf' % (idx, kind)), 'wb') as f:
            f.write(data)

    for kind, fn, n in BYTE_OPS + STRUCT_OPS:
        made = 0
        tries = 0
        while made < n and tries < n * 5:
            tries += 1
            src = DATA[rng.choice(NAMES)]
            out = fn(src)
            if out is None or out == src:
                continue
            write(kind, out)
            made += 1
    # stacked: 2-4 mixed ops
    allops = BYTE_OPS + STRUCT_OPS
    for _ in range(300):
        d = DATA[rng.choice(NAMES)]
        for _ in range(rng.choice([2, 3, 4])):
            kind, fn, _n = rng.choice(allops)
            if len(d) > 2_000_000:
                break
            try:
                nd = fn(d)
            except Exception:
                nd = None
            if nd:
                d = nd
        write('stacked', d)
    print(idx, 'mutants written to', OUT)


if __name__ == '__main__':
    main()
