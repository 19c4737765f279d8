# Regenerates the big text reproducers of issue 18 (not stored: 200 MB each) in the
# current folder. Each is refused at once by --max-text-bytes (16 MiB) with default
# settings; raise it to test the budget (--max-memory, --timeout) instead.
import sys
open('text-single-line-200MB.txt','wb').write(b'Tiltak ' * (200_000_000 // 7))        # convert: 40.6 s, 1.4 GiB
open('text-1M-tab-rows.txt','wb').write(b'Tiltak\tAnsvar\n' + b''.join(b'Tiltak %d\tKlinikkleder\n' % i for i in range(1_000_000)))  # >60 s
open('text-500k-sak.txt','wb').write(b''.join(b'Sak %d/25 Tittel\nVedtak: ok\n' % (i % 1000) for i in range(500_000)))  # diff vs any minutes: OOM
