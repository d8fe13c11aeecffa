import os
for attempt in (lambda: open('/planted', 'w'), lambda: os.mkdir('/newdir'), lambda: os.symlink('/usr/bin/true', '/true')):
    try:
        attempt()
        print('written')
    except OSError as e:
        print(e.errno)
with open('/box/ok', 'w') as f:
    print(f.write('still writable'))
