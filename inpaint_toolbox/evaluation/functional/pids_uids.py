"""Paired and unpaired inception discriminative scores (P-IDS, U-IDS;
Zhao et al., "Large Scale Image Completion via Co-Modulated GANs",
2021)."""
import numpy as np


def pids_uids(real_feats, fake_feats):
    """P-IDS and U-IDS from a linear SVM on paired feature sets.

    A linear SVM (scikit-learn's ``LinearSVC``, primal solver, otherwise
    default settings) is fit to tell real features (label 1) from fake
    ones (label 0) and evaluated on the same data.

    - U-IDS: its misclassification rate; 0 when the sets are separable,
      0.5 when they are indistinguishable.
    - P-IDS: the fraction of pairs ``i`` whose fake sample scores as more
      real than its own real one, ``svm(fake_i) > svm(real_i)`` (strict,
      so identical pairs count as not fooled); 0 for separable sets, up to
      0.5 when fakes are as realistic as reals.

    Args:
        real_feats (array-like): ``(N, D)`` features of real images.
        fake_feats (array-like): ``(N, D)`` features of the fakes, row
            ``i`` paired with real row ``i`` (e.g. the inpainted image and
            its ground truth).

    Returns:
        tuple[float, float]: ``(p_ids, u_ids)``, both in [0, 1].

    Raises:
        ValueError: If the shapes differ, are not 2-D, or ``N < 1``.
        ImportError: If scikit-learn is not installed.
    """
    real = np.asarray(real_feats, dtype=np.float64)
    fake = np.asarray(fake_feats, dtype=np.float64)
    if real.ndim != 2 or real.shape != fake.shape or real.shape[0] < 1:
        raise ValueError('P-IDS/U-IDS need two paired (N, D) feature arrays '
                         f'of the same shape, got {real.shape} and '
                         f'{fake.shape}')
    try:
        from sklearn.svm import LinearSVC
    except ImportError as err:
        raise ImportError('P-IDS/U-IDS need scikit-learn: '
                          'pip install scikit-learn') from err
    inputs = np.concatenate([real, fake])
    targets = np.concatenate(
        [np.ones(len(real), np.int64),
         np.zeros(len(fake), np.int64)])
    svm = LinearSVC(dual=False)
    svm.fit(inputs, targets)
    u_ids = 1.0 - float(svm.score(inputs, targets))
    p_ids = float(
        np.mean(svm.decision_function(fake) > svm.decision_function(real)))
    return p_ids, u_ids
