"""Code Remote's matplotlib backend (`backend: module://_code_remote_figures` in matplotlibrc).

Draws with Agg. plt.show() saves every open figure as /box/out/figure-N.png and closes it;
figures still open when the program exits are saved the same way. The files come back with
the result as artifacts. savefig() to any path works as usual.
"""
import atexit
import os
import sys

from matplotlib import _pylab_helpers
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase

OUT = '/box/out'
_saved = 0


def _save_open_figures():
    global _saved
    for manager in _pylab_helpers.Gcf.get_all_fig_managers():
        _saved += 1
        path = '%s/figure-%d.png' % (OUT, _saved)
        while os.path.lexists(path):
            _saved += 1
            path = '%s/figure-%d.png' % (OUT, _saved)
        try:
            manager.canvas.figure.savefig(path, format='png')
        except Exception as error:
            sys.stderr.write('figure %d could not be saved: %s\n' % (_saved, error))
    _pylab_helpers.Gcf.destroy_all()


def show(*args, **kwargs):
    _save_open_figures()


atexit.register(_save_open_figures)
