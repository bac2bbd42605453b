"""Images from a folder (CelebA-HQ / FFHQ layout), optionally with masks."""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

from mmengine.dataset import BaseDataset

from inpaint_toolbox.registry import DATASETS
from .base import ShapeIndexMixin

IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.webp')
MASK_PAIRINGS = ('sorted', 'name')


def _normalize_extensions(extensions: Union[str, Sequence[str]]):
    if isinstance(extensions, str):
        extensions = (extensions, )
    exts = tuple(
        (e if e.startswith('.') else '.' + e).lower() for e in extensions)
    if not exts:
        raise ValueError('extensions must not be empty')
    return exts


def scan_images(folder: str,
                extensions: Sequence[str] = IMG_EXTENSIONS,
                recursive: bool = True) -> List[str]:
    """Relative paths (``/``-separated, sorted) of the images in a folder.

    Hidden files and folders (names starting with ``.``) are skipped; the
    extension test ignores case.

    Args:
        folder (str): the folder.
        extensions (sequence of str): accepted extensions, with the dot.
        recursive (bool): descend into sub-folders (FFHQ's ``00000/``...).

    Returns:
        list[str]: paths relative to ``folder``, sorted.

    Raises:
        FileNotFoundError: ``folder`` is not a directory.
    """
    if not osp.isdir(folder):
        raise FileNotFoundError(f'image folder not found: {folder!r}')
    exts = _normalize_extensions(extensions)
    found = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
        rel_root = osp.relpath(root, folder)
        for name in files:
            if name.startswith('.') or not name.lower().endswith(exts):
                continue
            rel = name if rel_root == '.' else osp.join(rel_root, name)
            found.append(rel.replace(os.sep, '/'))
        if not recursive:
            break
    return sorted(found)


def _stem(rel_path: str) -> str:
    return osp.splitext(rel_path)[0]


@DATASETS.register_module()
class ImageFolderDataset(ShapeIndexMixin, BaseDataset):
    """Images of a folder, optionally paired with mask files.

    Works with the CelebA-HQ / FFHQ layout on disk: a flat or nested folder
    of images. The list of images comes from scanning the folder (sorted
    relative paths) or from ``ann_file``.

    ``ann_file`` is a text file with one image per line, a path relative to
    the image folder, optionally followed by a mask path relative to the
    mask folder (or to ``data_root`` when no mask folder is given).
    Columns are separated by a tab if the line has one, else by
    whitespace. Empty lines and lines starting with ``#`` are skipped.
    Either every line has a mask column or none has.

    With a mask folder and no mask column, masks are paired by
    ``mask_pairing``: ``'name'`` matches the relative path without extension
    (``a/001.jpg`` <-> ``a/001.png``), ``'sorted'`` gives image ``i`` the
    ``i % n``-th mask in sorted order (a mask set smaller than the image
    set is cycled). The mask file's convention (white or black hole) is
    given to ``LoadMaskFromFile``.

    Data info keys: ``gt_path``, ``mask_path`` (with masks), ``sample_idx``
    and, for ``(index, (h, w))`` indices, ``crop_shape``.

    Args:
        data_root (str): root that relative folders and ``ann_file`` are
            joined to. Defaults to ``''``.
        data_prefix (dict): ``gt`` image folder (``''`` for ``data_root``
            itself) and ``mask`` folder or None. Defaults to
            ``dict(gt='images', mask=None)``.
        ann_file (str, optional): list of images, see above. Defaults to
            None (scan the folder).
        recursive (bool): scan sub-folders. Defaults to True.
        extensions (sequence of str): image (and mask) extensions, any case.
            Defaults to ``IMG_EXTENSIONS``.
        mask_pairing (str): ``'sorted'`` or ``'name'``. Defaults to
            ``'sorted'``.
        pipeline (list): transforms (dicts or callables). Defaults to ().
        test_mode (bool): see ``BaseDataset``. Defaults to False.
        **kwargs: other ``BaseDataset`` arguments (``indices``,
            ``serialize_data``, ``lazy_init``, ``max_refetch``,
            ``metainfo``).
    """

    METAINFO = dict(dataset_name='image_folder')

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Dict[str, Optional[str]] = dict(
                     gt='images', mask=None),
                 ann_file: Optional[str] = None,
                 recursive: bool = True,
                 extensions: Sequence[str] = IMG_EXTENSIONS,
                 mask_pairing: str = 'sorted',
                 pipeline: Sequence = (),
                 test_mode: bool = False,
                 **kwargs):
        if mask_pairing not in MASK_PAIRINGS:
            raise ValueError(f'mask_pairing must be one of {MASK_PAIRINGS}, '
                             f'got {mask_pairing!r}')
        unknown = set(data_prefix) - {'gt', 'mask'}
        if unknown:
            raise ValueError(f'data_prefix takes the keys gt and mask, got '
                             f'{sorted(unknown)}')
        prefix = {k: v for k, v in data_prefix.items() if v is not None}
        prefix.setdefault('gt', '')
        self.recursive = recursive
        self.extensions = _normalize_extensions(extensions)
        self.mask_pairing = mask_pairing
        super().__init__(
            ann_file=ann_file or '',
            data_root=data_root or '',
            data_prefix=prefix,
            pipeline=list(pipeline),
            test_mode=test_mode,
            **kwargs)

    # ------------------------------------------------------------------
    def _read_ann_file(self) -> List[Tuple[str, Optional[str]]]:
        """``(image, mask or None)`` relative paths from ``ann_file``."""
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'annotation file not found: {self.ann_file!r}')
        entries = []
        with open(self.ann_file, encoding='utf-8') as f:
            for line_no, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith('#'):
                    continue
                cols = line.split('\t') if '\t' in line else line.split()
                cols = [c.strip() for c in cols if c.strip()]
                if len(cols) > 2:
                    raise ValueError(
                        f'{self.ann_file}:{line_no}: expected "image [mask]",'
                        f' got {len(cols)} columns: {line!r}')
                entries.append(
                    (cols[0], cols[1] if len(cols) == 2 else None, line_no))
        with_mask = sum(e[1] is not None for e in entries)
        if 0 < with_mask < len(entries):
            raise ValueError(
                f'{self.ann_file}: {with_mask} of {len(entries)} lines have '
                'a mask column; give a mask on every line or on none')
        gt_dir = self.data_prefix['gt']
        mask_dir = self.data_prefix.get('mask', self.data_root)
        for gt_rel, mask_rel, line_no in entries:
            for folder, rel in ((gt_dir, gt_rel), (mask_dir, mask_rel)):
                if rel is not None and not osp.isfile(osp.join(folder, rel)):
                    raise FileNotFoundError(
                        f'{self.ann_file}:{line_no}: file not found: '
                        f'{osp.join(folder, rel)!r}')
        return [(g, m) for g, m, _ in entries]

    def _pair_masks(self, images: List[str]) -> List[str]:
        """Mask paths (relative to the mask folder) for ``images``."""
        mask_dir = self.data_prefix['mask']
        masks = scan_images(mask_dir, self.extensions, self.recursive)
        if not masks:
            raise FileNotFoundError(
                f'no mask files with extensions {self.extensions} found in '
                f'{mask_dir!r}')
        if self.mask_pairing == 'sorted':
            return [masks[i % len(masks)] for i in range(len(images))]
        by_stem: Dict[str, str] = {}
        for m in masks:
            if _stem(m) in by_stem:
                raise ValueError(
                    f'two masks share the name {_stem(m)!r} in {mask_dir!r}:'
                    f' {by_stem[_stem(m)]!r} and {m!r}')
            by_stem[_stem(m)] = m
        missing = [i for i in images if _stem(i) not in by_stem]
        if missing:
            raise FileNotFoundError(
                f'no mask named like {len(missing)} image(s) in '
                f'{mask_dir!r} (mask_pairing="name"), e.g. {missing[:3]}')
        return [by_stem[_stem(i)] for i in images]

    def load_data_list(self) -> List[dict]:
        """Build ``dict(gt_path=..., mask_path=...)`` for every image.

        Returns:
            list[dict]: one entry per image, in file order.

        Raises:
            FileNotFoundError: a missing folder, file or annotation file,
                or no images at all.
        """
        gt_dir = self.data_prefix['gt']
        mask_dir = self.data_prefix.get('mask')
        if self.ann_file:
            entries = self._read_ann_file()
            source = repr(self.ann_file)
        else:
            entries = [
                (rel, None)
                for rel in scan_images(gt_dir, self.extensions, self.recursive)
            ]
            source = f'{gt_dir!r} (extensions {self.extensions})'
        if not entries:
            raise FileNotFoundError(f'no images found in {source}')
        images = [g for g, _ in entries]
        if entries[0][1] is not None:
            masks = [
                osp.join(mask_dir or self.data_root, m) for _, m in entries
            ]
        elif mask_dir is not None:
            masks = [osp.join(mask_dir, m) for m in self._pair_masks(images)]
        else:
            masks = None
        data_list = []
        for i, rel in enumerate(images):
            info = dict(gt_path=osp.join(gt_dir, rel))
            if masks is not None:
                info['mask_path'] = masks[i]
            data_list.append(info)
        return data_list
