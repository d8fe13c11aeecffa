# Security review S2: no pseudo-terminals, and /dev holds only harmless devices, read-only.
import os
print(sorted(os.listdir('/dev')))
print(os.path.exists('/dev/ptmx'), os.path.exists('/dev/pts'), os.path.exists('/dev/tty'))
for attempt in (os.openpty, lambda: open('/dev/planted', 'w')):
    try:
        attempt()
        print('allowed')
    except OSError as e:
        print(type(e).__name__, e.errno)
with open('/dev/null', 'w') as null, open('/dev/urandom', 'rb') as random:
    null.write('x')
    print(len(random.read(4)))
