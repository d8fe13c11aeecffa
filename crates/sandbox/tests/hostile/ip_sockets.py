# Security review S2: only TCP and UDP sockets open; MPTCP, UDP-Lite, SCTP and raw sockets do not.
import errno, socket
cases = [
    ('tcp', socket.AF_INET, socket.SOCK_STREAM, 0),
    ('udp6', socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP),
    ('mptcp', socket.AF_INET, socket.SOCK_STREAM, 262),
    ('mptcp6', socket.AF_INET6, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 262),
    ('udplite', socket.AF_INET, socket.SOCK_DGRAM, 136),
    ('sctp', socket.AF_INET, socket.SOCK_SEQPACKET, 132),
    ('raw', socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP),
]
for name, family, kind, protocol in cases:
    try:
        socket.socket(family, kind, protocol).close()
        print(name, 'opened')
    except OSError as e:
        print(name, errno.errorcode[e.errno])
