def _boot():
    import os, sys
    go, code_fd, ready, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    site, mpl_cache, figures = sys.argv[5], sys.argv[6], sys.argv[7]
    # NOFILE and FSIZE as the launcher set them (both soft and hard).
    launched_limits = (sys.argv[8], sys.argv[9])
    os.umask(0o022)
    # /box/out: the directory whose files come back as artifacts. The supervisor gets it as an
    # fd, sent before any user code runs, and never looks it up by path.
    os.mkdir('/box/out', 0o755)
    d = os.open('/box/out', os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    import _socket
    s = _socket.socket(fileno=out)
    s.sendmsg([b'o'], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, d.to_bytes(4, sys.byteorder))])
    s.close()
    os.close(d)
    del sys.modules['_socket'], s, d
    # Numerical libraries start a thread per core unless told otherwise: one each keeps a run
    # inside its process limit and CPU share. Set in the C environment only (native libraries
    # read it there), so os.environ keeps nothing but PATH, HOME, LANG and PWD.
    for name in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS',
                 'NUMEXPR_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS', 'BLIS_NUM_THREADS'):
        os.putenv(name, '1')
    if site:
        sys.path.append(site)
    class Figures:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name != '_code_remote_figures':
                return None
            from importlib.machinery import ModuleSpec
            return ModuleSpec(name, Figures)
        @staticmethod
        def create_module(spec):
            return None
        @staticmethod
        def exec_module(module):
            exec(compile(figures, '<code-remote figures>', 'exec'), module.__dict__)
    sys.meta_path.append(Figures)
    class Matplotlib:
        # Once matplotlib itself has loaded: figures go to our backend, and its font cache is
        # the one built at install time (read-only), so no run rebuilds it. No environment
        # variable is needed, so os.environ keeps only PATH, HOME, LANG and PWD (FS-06).
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name != 'matplotlib' or not site:
                return None
            from importlib.machinery import PathFinder
            spec = PathFinder.find_spec(name, [site])
            if spec is None:
                return None
            real = spec.loader
            class Loader:
                @staticmethod
                def create_module(spec):
                    return real.create_module(spec)
                @staticmethod
                def exec_module(module):
                    real.exec_module(module)
                    module.rcParams['backend'] = 'module://_code_remote_figures'
                    if mpl_cache:
                        module.get_cachedir = lambda: mpl_cache
            spec.loader = Loader
            return spec
    sys.meta_path.insert(0, Matplotlib)
    msg = b''
    while True:
        part = os.read(go, 65536)
        if not part:
            break
        msg += part
    os.close(go)
    if not msg:
        os._exit(0)
    nofile, fsize, blocked = msg.decode().split('\n')[:3]
    blocked = frozenset(m for m in blocked.split(',') if m)
    os.lseek(code_fd, 0, 0)
    with open(code_fd, 'rb') as f:
        src = f.read()
    with open('/box/main.py', 'wb') as f:
        f.write(src)
    if (nofile, fsize) != launched_limits:
        import resource
        resource.setrlimit(resource.RLIMIT_NOFILE, (int(nofile), int(nofile)))
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(fsize), int(fsize)))
    if blocked:
        class ImportPolicy:
            @staticmethod
            def find_spec(name, path=None, target=None):
                if name.partition('.')[0] in blocked:
                    raise ImportError("import of %r is blocked by this server's import policy" % name, name=name)
                return None
        sys.meta_path.insert(0, ImportPolicy)
        for name in list(sys.modules):
            if name.partition('.')[0] in blocked:
                del sys.modules[name]
    def hook(kind, value, tb, sys=sys):
        import traceback
        lines = traceback.format_exception(kind, value, tb)
        sys.stderr.write(''.join(l for l in lines if not l.startswith('  File "<string>"')))
    sys.excepthook = hook
    sys.argv = ['/box/main.py']
    main = sys.modules['__main__'].__dict__
    for name in [n for n in main if n not in ('__name__', '__doc__', '__builtins__', '__spec__', '__loader__', '__package__', '__annotations__')]:
        del main[name]
    main['__file__'] = '/box/main.py'
    try:
        code = compile(src, '/box/main.py', 'exec')
    finally:
        os.write(ready, b'r')
        os.close(ready)
    del src, msg
    exec(code, main)
_boot()
