from .grid import make_grid, sample_row

__all__ = ['make_grid', 'sample_row']
