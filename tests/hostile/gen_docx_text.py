#!/usr/bin/env python3
"""DOCX and text mutants of corpus/*.docx and corpus/*.txt (corrupted XML, zip bombs,
missing parts; invalid UTF-8, UTF-16/32 with and without a BOM, NUL bytes, huge lines).
Fixed seed: the same files every run. Run from the project root:
    python3 tests/hostile/gen_docx_text.py [OUTROOT]    # default target/mutants
writes OUTROOT/docx/NNNN-kind.docx and OUTROOT/text/NNNN-kind.txt|.md.
From the probing of issue 18; scripts/hostile_run.py runs planparse over the output."""
import glob, io, os, random, re, struct, sys, zipfile, zlib

rng = random.Random(4242)
ROOT = sys.argv[1] if len(sys.argv) > 1 else 'target/mutants'
OD = os.path.join(ROOT, 'docx')
OT = os.path.join(ROOT, 'text')
os.makedirs(OD, exist_ok=True)
os.makedirs(OT, exist_ok=True)
DOCX = {os.path.basename(p): p for p in sorted(glob.glob('corpus/*.docx'))}
TXT = {os.path.basename(p): open(p, 'rb').read() for p in sorted(glob.glob('corpus/*.txt'))}
idx = {'d': 0, 't': 0}


def read_parts(path):
    z = zipfile.ZipFile(path)
    return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write_zip(parts, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', method) as z:
        for name, data in parts:
            z.writestr(name, data)
    return b.getvalue()


def emit_docx(kind, data):
    idx['d'] += 1
    with open(os.path.join(OD, '%04d-%s.docx' % (idx['d'], kind)), 'wb') as f:
        f.write(data)


def emit_text(kind, data, ext='txt'):
    idx['t'] += 1
    with open(os.path.join(OT, '%04d-%s.%s' % (idx['t'], kind, ext)), 'wb') as f:
        f.write(data)


def src_parts():
    return read_parts(DOCX[rng.choice(sorted(DOCX))])


def replace_part(parts, name, fn):
    return [(n, fn(d) if n == name else d) for n, d in parts]


# ---------- XML-level mutations of word/document.xml ----------

def xml_trunc(d):
    return d[:rng.randrange(len(d))]


def xml_bitflip(d):
    b = bytearray(d)
    for _ in range(rng.choice([1, 3, 10, 50])):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def xml_delete_chars(d):
    b = bytearray(d)
    for _ in range(rng.choice([1, 3, 10])):
        # delete a '<' or '>' or '"' or '/'
        pos = [m.start() for m in re.finditer(rb'[<>"/=]', bytes(b[:200000]))]
        if pos:
            del b[rng.choice(pos)]
    return bytes(b)


def xml_invalid_utf8(d):
    ts = [m.end() for m in re.finditer(rb'<w:t[^>]*>', d)]
    if not ts:
        return d + b'\xff\xfe'
    for _ in range(rng.choice([1, 5])):
        i = rng.choice(ts)
        d = d[:i] + rng.choice([b'\xff', b'\xc3', b'\xed\xa0\x80', b'\xf4\x90\x80\x80', b'\xc0\xaf', b'\x00', b'\x01\x02']) + d[i:]
    return d


def xml_entity(d):
    ts = [m.end() for m in re.finditer(rb'<w:t[^>]*>', d)]
    i = rng.choice(ts) if ts else len(d)
    return d[:i] + rng.choice([b'&undefined;', b'&#0;', b'&#xD800;', b'&#99999999999;', b'&amp', b'&#x110000;', b'&lt;script&gt;']) + d[i:]


def xml_swap_tags(d):
    tags = list(re.finditer(rb'<(/?)w:(\w+)', d))
    if len(tags) < 2:
        return d
    a, b = rng.sample(tags, 2)
    if a.start() > b.start():
        a, b = b, a
    return d[:a.start(2)] + b.group(2) + d[a.end(2):b.start(2)] + a.group(2) + d[b.end(2):]


def xml_attr_extreme(d):
    attrs = list(re.finditer(rb'w:(val|gridSpan|ilvl|numId|w|start|abstractNumId)="([^"]*)"', d))
    if not attrs:
        return d
    for _ in range(rng.choice([1, 3, 10])):
        m = rng.choice(attrs)
        v = rng.choice([b'-1', b'0', b'4294967295', b'99999999999999999999', b'', b'abc', b'2147483648', b'-2147483649', b'1e9', b'65'])
        d = d[:m.start(2)] + v + d[m.end(2):]
        attrs = list(re.finditer(rb'w:(val|gridSpan|ilvl|numId|w|start|abstractNumId)="([^"]*)"', d))
    return d


def xml_dup_region(d):
    i = rng.randrange(len(d))
    n = rng.choice([10, 100, 1000, 10000])
    k = rng.randrange(len(d))
    return d[:k] + d[i:i + n] * rng.choice([1, 2, 10]) + d[k:]


XML_OPS = [xml_trunc, xml_bitflip, xml_delete_chars, xml_invalid_utf8, xml_entity, xml_swap_tags, xml_attr_extreme, xml_dup_region]

W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def doc_xml(body):
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ' + W + b'><w:body>' + body + b'</w:body></w:document>'


def para(t):
    return b'<w:p><w:r><w:t xml:space="preserve">' + t + b'</w:t></w:r></w:p>'


def minimal_docx(document, extra=(), drop=(), ct=None, rels=None, docrels=None):
    parts = [
        ('[Content_Types].xml', ct or b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        ('_rels/.rels', rels or b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        ('word/document.xml', document),
    ]
    if docrels:
        parts.append(('word/_rels/document.xml.rels', docrels))
    parts += list(extra)
    return [(n, d) for n, d in parts if n not in drop]


def bomb_zip(entries):
    """entries: list of (name, generator_of_chunks) written with deflate, streaming"""
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for name, chunks in entries:
            if isinstance(chunks, bytes):
                z.writestr(name, chunks)
                continue
            with z.open(name, 'w', force_zip64=True) as f:
                for c in chunks:
                    f.write(c)
    return b.getvalue()


def repeat(chunk, total):
    n = 0
    while n < total:
        c = chunk if total - n >= len(chunk) else chunk[:total - n]
        n += len(c)
        yield c


BASE = minimal_docx(b'')
CT, RELS = BASE[0][1], BASE[1][1]
DOCRELS = b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>'


def gen_docx():
    # A. document.xml mutations: 150
    for _ in range(150):
        parts = src_parts()
        ops = [rng.choice(XML_OPS) for _ in range(rng.choice([1, 1, 2]))]
        for op in ops:
            parts = replace_part(parts, 'word/document.xml', op)
        emit_docx('docxml-' + ops[0].__name__, write_zip(parts))
    # B. styles/numbering mutations: 50
    for _ in range(50):
        parts = src_parts()
        target = rng.choice(['word/styles.xml', 'word/numbering.xml', '[Content_Types].xml', 'word/_rels/document.xml.rels', '_rels/.rels'])
        op = rng.choice(XML_OPS)
        parts = replace_part(parts, target, op)
        emit_docx('part-' + target.split('/')[-1].replace('[', '').replace(']', '') + '-' + op.__name__, write_zip(parts))
    # C. byte-level on the zip: 60
    for _ in range(60):
        d = open(DOCX[rng.choice(sorted(DOCX))], 'rb').read()
        r = rng.random()
        if r < 0.4:
            b = bytearray(d)
            for _ in range(rng.choice([1, 4, 16])):
                b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
            emit_docx('zip-bitflip', bytes(b))
        elif r < 0.7:
            emit_docx('zip-trunc', d[:rng.randrange(len(d))])
        else:
            i = rng.randrange(len(d))
            emit_docx('zip-delete', d[:i] + d[i + rng.choice([1, 10, 100, 1000]):])
    # D. structural / crafted
    sample_body = para(b'1. Innledning') + para(b'Tiltak') * 3
    crafted = {
        'missing-document': minimal_docx(b'', drop=('word/document.xml',)),
        'missing-rels': minimal_docx(doc_xml(sample_body), drop=('_rels/.rels',)),
        'missing-ct': minimal_docx(doc_xml(sample_body), drop=('[Content_Types].xml',)),
        'only-ct': [('[Content_Types].xml', CT)],
        'empty-zip': [],
        'rels-target-missing': minimal_docx(doc_xml(sample_body), rels=RELS.replace(b'word/document.xml', b'word/nothere.xml')),
        'rels-target-traversal': minimal_docx(doc_xml(sample_body), rels=RELS.replace(b'word/document.xml', b'../../../../../etc/passwd')),
        'rels-target-absolute': minimal_docx(doc_xml(sample_body), rels=RELS.replace(b'word/document.xml', b'/etc/passwd')),
        'rels-target-url': minimal_docx(doc_xml(sample_body), rels=RELS.replace(b'Target="word/document.xml"', b'Target="http://127.0.0.1:9/x.xml" TargetMode="External"')),
        'rels-target-self': minimal_docx(doc_xml(sample_body), rels=RELS.replace(b'word/document.xml', b'_rels/.rels')),
        'docrels-styles-is-document': minimal_docx(doc_xml(sample_body), docrels=DOCRELS.replace(b'styles.xml', b'document.xml').replace(b'numbering.xml', b'document.xml')),
        'document-is-binary': minimal_docx(bytes(range(256)) * 100),
        'document-empty': minimal_docx(b''),
        'document-not-xml': minimal_docx(b'hello world, not xml'),
        'document-utf16': minimal_docx(doc_xml(sample_body).replace(b'UTF-8', b'UTF-16').decode().encode('utf-16')),
        'document-latin1-decl': minimal_docx(doc_xml(para(b'\xe6\xf8\xe5 Tiltak')).replace(b'UTF-8', b'ISO-8859-1')),
        'document-ebcdic-decl': minimal_docx(doc_xml(sample_body).replace(b'UTF-8', b'EBCDIC-1047')),
        'billion-laughs': minimal_docx(b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + b''.join(b'<!ENTITY lol%d "%s">' % (i, (b'&lol%d;' % (i - 1) if i > 1 else b'&lol;') * 10) for i in range(1, 10)) + b']><w:document ' + W + b'><w:body>' + para(b'&lol9;') + b'</w:body></w:document>'),
        'xxe-file': minimal_docx(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document ' + W + b'><w:body>' + para(b'&xxe;') + b'</w:body></w:document>'),
        'deep-nesting-300': minimal_docx(doc_xml(b'<w:p>' * 300 + b'</w:p>' * 300)),
        'deep-nesting-200k': minimal_docx(doc_xml(b'<w:x>' * 200000 + b'</w:x>' * 200000)),
        'nested-tables-100': minimal_docx(doc_xml(b'<w:tbl><w:tr><w:tc>' * 80 + para(b'Tiltak') + b'</w:tc></w:tr></w:tbl>' * 80)),
        'many-paragraphs-500k': minimal_docx(doc_xml(para(b'Tiltak tekst') * 500000)),
        'huge-attribute-20MB': minimal_docx(doc_xml(b'<w:p w:rsidR="' + b'A' * (20 << 20) + b'">' + b'<w:r><w:t>x</w:t></w:r></w:p>')),
        'huge-text-run-50MB': minimal_docx(doc_xml(para(b'Tiltak ' * (7 << 20)))),
        'many-attrs': minimal_docx(doc_xml(b'<w:p ' + b' '.join(b'a%d="1"' % i for i in range(200000)) + b'/>')),
        'table-gridspan-huge': minimal_docx(doc_xml(b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="4294967295"/></w:tcPr>' + para(b'Tiltak') + b'</w:tc><w:tc>' + para(b'Ansvar') + b'</w:tc></w:tr></w:tbl>')),
        'table-gridspan-2e9-rows': minimal_docx(doc_xml(b'<w:tbl>' + (b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr>' + para(b'Tiltak') + b'</w:tc><w:tc>' + para(b'Klinikkleder') + b'</w:tc></w:tr>') * 50 + b'</w:tbl>')),
        'table-10k-columns': minimal_docx(doc_xml(b'<w:tbl><w:tr>' + b''.join(b'<w:tc>' + para(b'c%d' % i) + b'</w:tc>' for i in range(10000)) + b'</w:tr></w:tbl>')),
        'table-vmerge-chain-20k': minimal_docx(doc_xml(b'<w:tbl>' + b'<w:tr><w:tc>' + para(b'Tiltak') + b'</w:tc><w:tc>' + para(b'Ansvar') + b'</w:tc></w:tr>' + (b'<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>' + para(b'x') + b'</w:tc><w:tc>' + para(b'Klinikkleder') + b'</w:tc></w:tr>') * 20000 + b'</w:tbl>')),
        'table-50k-rows': minimal_docx(doc_xml(b'<w:tbl>' + b'<w:tr><w:tc>' + para(b'Tiltak') + b'</w:tc><w:tc>' + para(b'Ansvar') + b'</w:tc></w:tr>' + b''.join(b'<w:tr><w:tc>' + para(b'Tiltak %d' % i) + b'</w:tc><w:tc>' + para(b'Klinikkleder') + b'</w:tc></w:tr>' for i in range(50000)) + b'</w:tbl>')),
        'styles-basedon-cycle': minimal_docx(doc_xml(b'<w:p><w:pPr><w:pStyle w:val="A"/></w:pPr><w:r><w:t>Overskrift</w:t></w:r></w:p>'), docrels=DOCRELS,
                                             extra=[('word/styles.xml', b'<w:styles ' + W + b'><w:style w:type="paragraph" w:styleId="A"><w:basedOn w:val="B"/></w:style><w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="A"/><w:pPr><w:outlineLvl w:val="4294967295"/></w:pPr></w:style></w:styles>')]),
        'styles-10k-chain': minimal_docx(doc_xml(b'<w:p><w:pPr><w:pStyle w:val="S0"/></w:pPr><w:r><w:t>Overskrift</w:t></w:r></w:p>'), docrels=DOCRELS,
                                         extra=[('word/styles.xml', b'<w:styles ' + W + b'>' + b''.join(b'<w:style w:type="paragraph" w:styleId="S%d"><w:basedOn w:val="S%d"/></w:style>' % (i, i + 1) for i in range(10000)) + b'</w:styles>')]),
        'numbering-cycle': minimal_docx(doc_xml(b'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Tiltak</w:t></w:r></w:p>' * 5), docrels=DOCRELS,
                                        extra=[('word/numbering.xml', b'<w:numbering ' + W + b'><w:abstractNum w:abstractNumId="0"><w:numStyleLink w:val="L"/></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:styleLink w:val="L"/><w:lvl w:ilvl="0"><w:start w:val="-2147483648"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1.%2.%3.%9.%0"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'),
                                               ('word/styles.xml', b'<w:styles ' + W + b'><w:style w:type="numbering" w:styleId="L"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')]),
        'numbering-huge-start-roman': minimal_docx(doc_xml(b'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Tiltak</w:t></w:r></w:p>' * 5), docrels=DOCRELS,
                                                   extra=[('word/numbering.xml', b'<w:numbering ' + W + b'><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="2147483647"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="9223372036854775807"/></w:lvlOverride></w:num></w:numbering>')]),
        'numbering-letters-huge': minimal_docx(doc_xml(b'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Tiltak</w:t></w:r></w:p>' * 5), docrels=DOCRELS,
                                               extra=[('word/numbering.xml', b'<w:numbering ' + W + b'><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="2000000000"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')]),
        'numbering-ilvl-huge': minimal_docx(doc_xml(b'<w:p><w:pPr><w:numPr><w:ilvl w:val="4294967295"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Tiltak</w:t></w:r></w:p>' * 5), docrels=DOCRELS,
                                            extra=[('word/numbering.xml', b'<w:numbering ' + W + b'><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="4294967295"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="' + b'%1.' * 10000 + b'"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')]),
        'duplicate-entries': minimal_docx(doc_xml(sample_body)) + [('word/document.xml', doc_xml(para(b'second copy')))],
        'entry-name-traversal': minimal_docx(doc_xml(sample_body)) + [('../../evil.xml', b'x'), ('/abs.xml', b'y')],
        'many-entries-70k': minimal_docx(doc_xml(sample_body)) + [('x/%d' % i, b'') for i in range(70000)],
    }
    for name, parts in crafted.items():
        emit_docx('crafted-' + name, write_zip(parts))
    emit_docx('crafted-stored-method', write_zip(minimal_docx(doc_xml(sample_body)), zipfile.ZIP_STORED))
    try:
        emit_docx('crafted-bzip2-method', write_zip(minimal_docx(doc_xml(sample_body)), zipfile.ZIP_BZIP2))
        emit_docx('crafted-lzma-method', write_zip(minimal_docx(doc_xml(sample_body)), zipfile.ZIP_LZMA))
    except Exception as e:
        print('skip', e)
    # CRC mismatch: flip a byte in the compressed data of document.xml
    d = write_zip(minimal_docx(doc_xml(sample_body * 50)), zipfile.ZIP_STORED)
    i = d.find(b'Tiltak')
    emit_docx('crafted-crc-mismatch', d[:i] + b'X' + d[i + 1:])
    # encrypted flag set on entries
    d = bytearray(write_zip(minimal_docx(doc_xml(sample_body))))
    for m in re.finditer(rb'PK\x03\x04', bytes(d)):
        d[m.start() + 6] |= 1
    for m in re.finditer(rb'PK\x01\x02', bytes(d)):
        d[m.start() + 8] |= 1
    emit_docx('crafted-encrypted-flag', bytes(d))
    # declared size lies (uncompressed size 1 in headers, real big)
    d = bytearray(write_zip(minimal_docx(doc_xml(para(b'Tiltak ' * 100000)))))
    for m in re.finditer(rb'PK\x01\x02', bytes(d)):
        d[m.start() + 24:m.start() + 28] = struct.pack('<I', 1)
    emit_docx('crafted-size-lies-small', bytes(d))
    d = bytearray(write_zip(minimal_docx(doc_xml(sample_body))))
    for m in re.finditer(rb'PK\x01\x02', bytes(d)):
        d[m.start() + 24:m.start() + 28] = struct.pack('<I', 0xFFFFFFFE)
    emit_docx('crafted-size-lies-huge', bytes(d))
    # OLE header
    emit_docx('crafted-ole-header', b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\x00' * 4000)
    emit_docx('crafted-empty-file', b'')
    emit_docx('crafted-not-zip', b'this is plain text in a .docx')
    # E. zip bombs
    hdr = b'<?xml version="1.0" encoding="UTF-8"?>\n<w:document ' + W + b'><w:body>'
    tail = b'</w:body></w:document>'
    emit_docx('bomb-document-1GiB-spaces', bomb_zip([('[Content_Types].xml', CT), ('_rels/.rels', RELS),
                                                     ('word/document.xml', (c for part in ([hdr], repeat(b' ' * (1 << 20), 1 << 30), [tail]) for c in part))]))
    emit_docx('bomb-document-250MiB-paras', bomb_zip([('[Content_Types].xml', CT), ('_rels/.rels', RELS),
                                                      ('word/document.xml', (c for part in ([hdr], repeat(para(b'Tiltak x') * 4000, 250 << 20), [tail]) for c in part))]))
    emit_docx('bomb-document-250MiB-one-text', bomb_zip([('[Content_Types].xml', CT), ('_rels/.rels', RELS),
                                                         ('word/document.xml', (c for part in ([hdr + b'<w:p><w:r><w:t>'], repeat(b'Tiltak ' * 100000, 250 << 20), [b'</w:t></w:r></w:p>' + tail]) for c in part))]))
    emit_docx('bomb-styles-1GiB', bomb_zip([('[Content_Types].xml', CT), ('_rels/.rels', RELS), ('word/_rels/document.xml.rels', DOCRELS),
                                            ('word/document.xml', doc_xml(sample_body)),
                                            ('word/styles.xml', (c for part in ([b'<w:styles ' + W + b'>'], repeat(b' ' * (1 << 20), 1 << 30), [b'</w:styles>']) for c in part))]))
    multi = [('[Content_Types].xml', CT), ('_rels/.rels', RELS),
             ('word/_rels/document.xml.rels', DOCRELS.replace(b'</Relationships>', b'<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/></Relationships>')),
             ('word/document.xml', (c for part in ([hdr], repeat(b' ' * (1 << 20), 250 << 20), [sample_body + tail]) for c in part))]
    for nm, root in (('styles.xml', b'w:styles'), ('numbering.xml', b'w:numbering'), ('footnotes.xml', b'w:footnotes'), ('endnotes.xml', b'w:endnotes')):
        multi.append(('word/' + nm, (c for part in ([b'<' + root + b' ' + W + b'>'], repeat(b' ' * (1 << 20), 250 << 20), [b'</' + root + b'>']) for c in part)))
    emit_docx('bomb-5-parts-250MiB-each', bomb_zip(multi))


# ---------------- text ----------------

def gen_text():
    names = sorted(TXT)
    # random mutations of corpus text: 100
    for _ in range(100):
        d = TXT[rng.choice(names)]
        r = rng.randrange(6)
        if r == 0:
            b = bytearray(d)
            for _ in range(rng.choice([1, 5, 50])):
                b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
            emit_text('bitflip', bytes(b))
        elif r == 1:
            lines = d.split(b'\n')
            rng.shuffle(lines)
            emit_text('shuffle-lines', b'\n'.join(lines))
        elif r == 2:
            emit_text('trunc', d[:rng.randrange(len(d))])
        elif r == 3:
            i = rng.randrange(len(d))
            emit_text('dup', d[:i] + d[i:i + rng.choice([100, 1000, 5000])] * rng.choice([2, 10, 100]) + d[i:])
        elif r == 4:
            b = bytearray(d)
            for _ in range(rng.choice([1, 10, 100])):
                b.insert(rng.randrange(len(b)), rng.choice([0, 0xff, 0xc3, 0x80, 0x09, 0x0c, 0x0d, 0xad]))
            emit_text('insert-bytes', bytes(b))
        else:
            # splice two texts by lines
            o = TXT[rng.choice(names)].split(b'\n')
            lines = d.split(b'\n')
            i = rng.randrange(len(lines))
            emit_text('splice', b'\n'.join(lines[:i] + o[rng.randrange(len(o)):]))
    base = TXT['hlk-2021-2025.txt']
    s = base.decode('utf-8')
    crafted = [
        ('utf16le-bom', b'\xff\xfe' + s.encode('utf-16-le')),
        ('utf16be-bom', b'\xfe\xff' + s.encode('utf-16-be')),
        ('utf16le-nobom', s.encode('utf-16-le')),
        ('utf32-bom', s.encode('utf-32')),
        ('utf8-bom', b'\xef\xbb\xbf' + base),
        ('bom-only', b'\xef\xbb\xbf'),
        ('windows1252', s.encode('cp1252', 'replace')),
        ('invalid-utf8-mixed', base.replace(b'\xc3\xb8', b'\xf8', 5)),
        ('invalid-utf8-overlong', base + b'\n\xc0\xaf\xe0\x80\xaf\xed\xa0\x80\xf8\x88\x80\x80\x80\n'),
        ('nul-bytes-everywhere', base.replace(b' ', b'\x00')),
        ('nul-only-1MiB', b'\x00' * (1 << 20)),
        ('control-chars', bytes(range(32)) * 10000),
        ('single-line-200MB', b'Tiltak ' * (200_000_000 // 7)),
        ('single-line-200MB-nospace', b'x' * 200_000_000),
        ('lines-1M-short', b'ab\n' * 1_000_000),
        ('lines-1M-sak', b''.join(b'Sak %d/25 Tittel\nVedtak: ok\n' % (i % 1000) for i in range(500_000))),
        ('lines-1M-numbered-headings', b''.join(b'%d.%d Overskrift\n' % (i, i % 7) for i in range(1_000_000))),
        ('lines-1M-tabs-table', b'Tiltak\tAnsvar\n' + b''.join(b'Tiltak %d\tKlinikkleder\n' % i for i in range(1_000_000))),
        ('one-line-100k-tabs', b'\t'.join(b'c%d' % i for i in range(100_000)) + b'\n' + b'\t'.join(b'd%d' % i for i in range(100_000)) + b'\n'),
        ('deep-numbering-10k', b'.'.join(b'1' for _ in range(10_000)) + b' Tittel\n'),
        ('combining-marks-1M', b'a' + '\u0301'.encode() * 1_000_000 + b'\n'),
        ('combining-marks-lines', ('a' + '\u0301\u0308' * 50 + '\n').encode() * 100_000),
        ('cr-only-lines', base.replace(b'\n', b'\r')),
        ('cr-only-1M', b'x\r' * 1_000_000),
        ('form-feeds-1M', b'\x0c' * 1_000_000),
        ('crlf', base.replace(b'\n', b'\r\n')),
        ('long-word-hyphen-join', b'Forsknings-\n' * 200_000 + b'gruppeledere\n'),
        ('spaces-aligned-table-100k', b'Nr   Tiltak                 Ansvar\n' + b''.join(b'%-4d Tiltak tekst %-8d   Klinikkleder\n' % (i, i) for i in range(100_000))),
        ('emoji-rtl', ('Tiltak \U0001F600 \u202e\u05e9\u05dc\u05d5\u05dd \ufeff\u200b\n' * 10000).encode()),
        ('lone-surrogate-cesu', b'Tiltak \xed\xa0\xbd\xed\xb8\x80\n'),
        ('empty', b''),
        ('whitespace-only', b' \n\t\n' * 1000),
        ('md-headings-deep', b''.join(b'#' * (i % 50 + 1) + b' H%d\n' % i for i in range(100_000))),
        ('pdf-header-in-txt', b'%PDF-1.7 in a text file\nTiltak\n'),
        ('zip-header-in-txt', b'PK\x03\x04 in a text file\nTiltak\n'),
        ('unicode-line-separators', ('Tiltak\u2028Ansvar\u2029Klinikkleder\u0085x\n' * 10000).encode()),
        ('soft-hyphens-1M', '\u00ad'.encode() * 1_000_000),
        ('nbsp-tabs', ('Tiltak\u00a0\t\u00a0Ansvar\n' * 10000).encode()),
    ]
    for name, data in crafted:
        emit_text(name, data)
    emit_text('md-invalid-utf8', b'# Tittel\n\xff\xfe\n', 'md')
    emit_text('md-utf16', b'\xff\xfe' + '# Handlingsplan\n'.encode('utf-16-le'), 'md')
    emit_text('md-big-table', b'| Tiltak | Ansvar |\n|---|---|\n' + b''.join(b'| T%d | Klinikkleder |\n' % i for i in range(200_000)), 'md')


if __name__ == '__main__':
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
    gen_docx()
    gen_text()
    print(idx)
