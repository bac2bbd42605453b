"""Find latent edit directions of a StyleGAN2 generator.

GANSpace: principal components of sampled ``w`` (one file per component,
``pc0.pth``, ``pc1.pth``, ...). InterFaceGAN: sample ``z`` with the seed,
map it to ``w``, synthesize images, label them with an attribute classifier
(``AttributeClassifier`` config and checkpoint), fit a linear classifier on
``w`` and save its unit normal as ``<attribute>.pth``. A ``summary.json``
in the output folder records the settings and the numbers (explained
variance, or the linear classifier's accuracy on held-out codes and, with
``--eval-strength``, how far an edit moves the attribute).

Examples::

    python tools/find_directions.py checkpoints/stylegan2_synthetic-64.pth \
        --method ganspace --num-components 8 --num-samples 10000 --seed 0 \
        --out work_dirs/directions/ganspace

    python tools/find_directions.py \
        work_dirs/stylegan2_c16-64_synthetic-faces-64/iter_10000.pth \
        --config configs/stylegan2/stylegan2_c16-64_synthetic-faces-64.py \
        --prefix generator_ema.module --method interfacegan \
        --attribute smiling \
        --classifier-config \
        configs/inversion/attribute_classifier_synthetic-faces-64.py \
        --classifier-checkpoint \
        work_dirs/attribute_classifier_synthetic-faces-64/iter_2000.pth \
        --num-samples 5000 --seed 0 --eval-strength 2 \
        --out work_dirs/directions/smiling

Sampling: ``z = torch.randn(N, z_dim, generator=torch.Generator()
.manual_seed(seed))``, constant noise inputs, so the same arguments give
the same files.
"""
import argparse
import json
import os
import os.path as osp
import sys
from argparse import Namespace
from typing import Optional, Tuple

import _bootstrap  # noqa: F401 (puts the repo on sys.path)
import torch
from generate import load_generator  # noqa: E402 (tools/generate.py)

from inpaint_toolbox.models.editors import (LatentDirection,
                                            fit_logistic_regression,
                                            ganspace_directions, project_out,
                                            save_direction)
from inpaint_toolbox.models.gans.gan_data_preprocessor import to_pixel_range

METHODS = ('ganspace', 'interfacegan')


def parse_args(argv=None) -> Tuple[Namespace, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(
        description='Find GANSpace or InterFaceGAN directions of a '
        'StyleGAN2 generator')
    parser.add_argument(
        'checkpoint', help='generator checkpoint: converted by '
        'tools/convert_stylegan2.py, or a training checkpoint with --config')
    parser.add_argument(
        '--config', default=None,
        help='config to build the generator from (training checkpoints)')
    parser.add_argument(
        '--config-key', default='model.generator',
        help='dotted key of the generator dict in --config')
    parser.add_argument(
        '--prefix', default=None,
        help='weights to use (default: generator_ema.module with --config, '
        'else generator_ema)')
    parser.add_argument('--method', choices=METHODS, required=True)
    parser.add_argument(
        '--num-components', type=int, default=10,
        help='ganspace: number of principal directions')
    parser.add_argument('--attribute', help='interfacegan: attribute name')
    parser.add_argument(
        '--classifier-config',
        help='interfacegan: config of the attribute classifier')
    parser.add_argument(
        '--classifier-checkpoint',
        help='interfacegan: checkpoint of the attribute classifier')
    parser.add_argument(
        '--confident-ratio', type=float, default=None,
        help='interfacegan: label only this fraction of most and of least '
        'confident samples as positives and negatives (in (0, 0.5]); '
        'default: every sample, positive when p >= 0.5')
    parser.add_argument(
        '--condition-on', nargs='+', default=[], metavar='ATTR',
        help='interfacegan: make the direction orthogonal to the boundary '
        'normals of these attributes (conditional manipulation)')
    parser.add_argument(
        '--holdout', type=float, default=0.2,
        help='interfacegan: fraction of samples held out to measure '
        'accuracy and edits')
    parser.add_argument(
        '--l2', type=float, default=0.1,
        help='interfacegan: regularization of the logistic regression on '
        'codes normalized to unit mean variance (default 0.1)')
    parser.add_argument(
        '--eval-strength', type=float, default=None,
        help='interfacegan: also measure the mean change of the attribute '
        'probability on held-out samples moved by +/- this strength')
    parser.add_argument('--num-samples', type=int, default=10000)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--layers', type=int, nargs=2, default=None,
        metavar=('START', 'STOP'),
        help='W+ layers [START, STOP) the directions edit (default: all)')
    parser.add_argument(
        '--truncation-psi', type=float, default=1.0,
        help='truncation of the sampled codes (1: none)')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--device', default='cpu', help='torch device')
    parser.add_argument('--out', required=True, help='output folder')
    return parser.parse_args(argv), parser


def check_args(args: Namespace, parser: argparse.ArgumentParser) -> None:
    """Exit with a usage error for arguments that do not fit together."""
    if args.num_samples < 2:
        parser.error(f'--num-samples must be >= 2, got {args.num_samples}')
    if not 0 <= args.seed < 2**63:
        parser.error(f'--seed must be in [0, 2**63), got {args.seed}')
    if args.batch_size < 1:
        parser.error(f'--batch-size must be >= 1, got {args.batch_size}')
    if args.layers is not None and not 0 <= args.layers[0] < args.layers[1]:
        parser.error(f'--layers must satisfy 0 <= START < STOP, got '
                     f'{args.layers}')
    if args.method == 'ganspace':
        if args.eval_strength is not None or args.condition_on:
            parser.error('--eval-strength and --condition-on need --method '
                         'interfacegan (they use the attribute classifier)')
        return
    if args.attribute is not None and args.attribute in args.condition_on:
        parser.error(f'--condition-on must not name --attribute '
                     f'{args.attribute!r}')
    missing = [f'--{k.replace("_", "-")}' for k in (
        'attribute', 'classifier_config', 'classifier_checkpoint')
        if getattr(args, k) is None]
    if missing:
        parser.error(f'--method interfacegan needs {" ".join(missing)}')
    for path in (args.classifier_config, args.classifier_checkpoint):
        if not osp.isfile(path):
            parser.error(f'file not found: {path}')
    if not 0 < args.holdout < 1:
        parser.error(f'--holdout must be in (0, 1), got {args.holdout}')
    if args.confident_ratio is not None and \
            not 0 < args.confident_ratio <= 0.5:
        parser.error(f'--confident-ratio must be in (0, 0.5], got '
                     f'{args.confident_ratio}')


def load_classifier(config: str, checkpoint: str, device: str):
    """Build an attribute classifier from its config and load weights."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    from inpaint_toolbox.registry import MODELS
    from inpaint_toolbox.utils.checkpoint import safe_load
    cfg = Config.fromfile(config)
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        model = MODELS.build(cfg.model)
    if not hasattr(model, 'predict_proba'):
        raise SystemExit(f'{config}: model {type(model).__name__} is not an '
                         'attribute classifier (no predict_proba)')
    state = safe_load(checkpoint)
    state = state.get('state_dict', state) if isinstance(state, dict) \
        else state
    model.load_state_dict(state, strict=True)
    return model.to(device).eval().requires_grad_(False)


@torch.no_grad()
def sample_codes(generator, num_samples: int, seed: int, batch_size: int,
                 truncation_psi: float = 1.0) -> torch.Tensor:
    """``(N, w_dim)`` codes ``w = mapping(z)`` for seeded ``z``."""
    if generator.c_dim:
        raise SystemExit('conditional generators (c_dim > 0) are not '
                         'supported')
    z = torch.randn(num_samples, generator.z_dim,
                    generator=torch.Generator().manual_seed(seed))
    device = next(generator.parameters()).device
    ws = [generator.mapping(chunk.to(device), None,
                            truncation_psi=truncation_psi)[:, 0].cpu()
          for chunk in z.split(batch_size)]
    return torch.cat(ws)


@torch.no_grad()
def attribute_probs(generator, classifier, ws: torch.Tensor,
                    batch_size: int) -> torch.Tensor:
    """Attribute probabilities of the images of W+ codes.

    Args:
        ws: ``(N, n_latent, w_dim)``.

    Returns:
        ``(N, K)`` float64 in [0, 1], K = the classifier's attributes.
        Images are quantized to uint8 as a saved image would be, then
        mapped to [-1, 1] as the classifier's data preprocessor maps
        dataset images.
    """
    device = next(generator.parameters()).device
    out = []
    for chunk in ws.split(batch_size):
        img = generator.synthesis(chunk.to(device), noise_mode='const')
        img = torch.floor(to_pixel_range(img)) / 127.5 - 1.0
        out.append(classifier.predict_proba(img).double().cpu())
    return torch.cat(out)


def binary_labels(
        probs: torch.Tensor,
        ratio: Optional[float]) -> Tuple[torch.Tensor, torch.Tensor]:
    """Indices and 0/1 labels of the samples used for fitting.

    Without ``ratio``: every sample, label ``p >= 0.5``. With it: the
    ``k = min(N // 2, max(1, floor(ratio * N)))`` highest (label 1) and
    lowest (label 0) probabilities, as InterFaceGAN does (stable sort: ties
    keep sample order).
    """
    if ratio is None:
        return torch.arange(len(probs)), (probs >= 0.5).long()
    k = min(len(probs) // 2, max(1, int(ratio * len(probs))))
    order = torch.sort(probs, stable=True).indices
    idx = torch.cat([order[:k], order[-k:]])
    labels = torch.cat([torch.zeros(k), torch.ones(k)]).long()
    return idx, labels


def run_ganspace(args, generator, layers) -> dict:
    ws = sample_codes(generator, args.num_samples, args.seed,
                      args.batch_size, args.truncation_psi)
    result = ganspace_directions(ws, args.num_components)
    entries = []
    for k, vec in enumerate(result.directions):
        name = f'pc{k}'
        path = save_direction(osp.join(args.out, f'{name}.pth'),
                              LatentDirection(vec, layers, name))
        entries.append(dict(
            name=name, file=osp.basename(path),
            explained_variance=float(result.variance[k]),
            explained_variance_ratio=float(result.variance_ratio[k]),
            std=float(result.variance[k].sqrt())))
        print(f'{name}: variance {result.variance[k]:.4g} '
              f'({100 * result.variance_ratio[k]:.1f}%) -> {path}')
    return dict(directions=entries,
                total_explained_variance_ratio=float(
                    result.variance_ratio.sum()))


def _accuracy(ws, labels, weight, bias,
              balanced: bool = False) -> Optional[float]:
    """Accuracy of ``ws @ weight + bias > 0`` (balanced: mean recall of
    the classes present); None without samples."""
    if len(labels) == 0:
        return None
    correct = (((ws.double() @ weight + bias) > 0).long() == labels).double()
    if not balanced:
        return float(correct.mean())
    return float(torch.stack([correct[labels == c].mean()
                              for c in (0, 1) if (labels == c).any()]).mean())


def measure_edit(generator, classifier, ws, direction, index, strength,
                 base_probs, batch_size) -> dict:
    """Mean attribute probabilities of codes moved by ``-s``, 0 and ``+s``.

    Args:
        ws: ``(N, w_dim)`` codes; base_probs: their ``(N, K)``
            probabilities; index: the edited attribute.

    Returns:
        dict: for the edited attribute, the mean probability at ``-s``, 0
        and ``+s``, the mean changes and the fractions of samples that moved
        the expected way; ``other_attributes``: the mean changes of the
        classifier's other attributes (side effects).
    """
    wp = ws.unsqueeze(1).repeat(1, generator.n_latent, 1)
    plus = attribute_probs(generator, classifier,
                           direction.apply(wp, strength), batch_size)
    minus = attribute_probs(generator, classifier,
                            direction.apply(wp, -strength), batch_size)
    base, p, m = base_probs[:, index], plus[:, index], minus[:, index]
    others = {
        name: dict(mean_prob=float(base_probs[:, k].mean()),
                   mean_change_plus=float((plus - base_probs)[:, k].mean()),
                   mean_change_minus=float(
                       (minus - base_probs)[:, k].mean()))
        for k, name in enumerate(classifier.attributes) if k != index}
    return dict(
        strength=strength, num_samples=len(ws),
        mean_prob=float(base.mean()),
        mean_prob_plus=float(p.mean()),
        mean_prob_minus=float(m.mean()),
        mean_change_plus=float((p - base).mean()),
        mean_change_minus=float((m - base).mean()),
        frac_increased_plus=float((p > base).double().mean()),
        frac_decreased_minus=float((m < base).double().mean()),
        other_attributes=others)


def fit_boundary(ws, probs, n_fit, ratio, l2, name) -> dict:
    """Fit a linear boundary on the first ``n_fit`` codes, score the rest.

    Returns:
        dict: the boundary normal ``weight`` ``(w_dim,)`` float64 and the
        numbers of the summary (counts, positive fraction, train and held-out
        accuracies; balanced: the mean recall of the two classes).
    """
    fit_idx, fit_labels = binary_labels(probs[:n_fit], ratio)
    held_idx, held_labels = binary_labels(probs[n_fit:], ratio)
    positives = int(fit_labels.sum())
    if positives in (0, len(fit_labels)):
        raise SystemExit(
            f'the classifier labels all {len(fit_labels)} fitting samples '
            f'{"positive" if positives else "negative"} for {name!r}: use '
            '--confident-ratio, more samples or another classifier')
    weight, bias = fit_logistic_regression(ws[fit_idx], fit_labels, l2=l2)
    held_ws = ws[n_fit:][held_idx]
    return dict(
        weight=weight, num_fit=len(fit_idx),
        num_heldout=len(held_idx),
        positive_fraction_fit=positives / len(fit_labels),
        train_accuracy=_accuracy(ws[fit_idx], fit_labels, weight, bias),
        heldout_accuracy=_accuracy(held_ws, held_labels, weight, bias),
        heldout_balanced_accuracy=_accuracy(held_ws, held_labels, weight,
                                            bias, balanced=True))


def _fmt(value) -> str:
    return 'n/a' if value is None else f'{value:.3f}'


def run_interfacegan(args, generator, layers) -> dict:
    classifier = load_classifier(args.classifier_config,
                                 args.classifier_checkpoint, args.device)
    try:
        index = classifier.attribute_index(args.attribute)
        cond_index = [classifier.attribute_index(a)
                      for a in args.condition_on]
    except ValueError as err:
        raise SystemExit(f'{args.classifier_config}: {err}')
    ws = sample_codes(generator, args.num_samples, args.seed,
                      args.batch_size, args.truncation_psi)
    probs = attribute_probs(
        generator, classifier,
        ws.unsqueeze(1).repeat(1, generator.n_latent, 1), args.batch_size)
    n_held = min(max(1, int(round(args.holdout * len(ws)))), len(ws) - 2)
    n_fit = len(ws) - n_held
    entry = fit_boundary(ws, probs[:, index], n_fit, args.confident_ratio,
                         args.l2, args.attribute)
    weight = entry.pop('weight')
    normal = (weight / weight.norm()).float()
    if cond_index:
        others = [fit_boundary(ws, probs[:, k], n_fit, args.confident_ratio,
                               args.l2, args.condition_on[i])['weight']
                  for i, k in enumerate(cond_index)]
        conditioned = project_out(normal, torch.stack(others))
        entry['conditioned_on'] = list(args.condition_on)
        entry['cosine_to_unconditioned'] = float(conditioned @ normal)
        normal = conditioned
    direction = LatentDirection(normal, layers, args.attribute)
    path = save_direction(osp.join(args.out, f'{args.attribute}.pth'),
                          direction)
    entry = dict(name=args.attribute, file=osp.basename(path),
                 std=float((ws.double() @ normal.double()).std()), **entry)
    print(f'{args.attribute}: {entry["num_fit"]} fitting samples '
          f'({100 * entry["positive_fraction_fit"]:.1f}% positive), '
          f'held-out accuracy {_fmt(entry["heldout_accuracy"])} (balanced '
          f'{_fmt(entry["heldout_balanced_accuracy"])}), std along the '
          f'direction {entry["std"]:.3g} -> {path}')
    if args.eval_strength is not None:
        entry['edit_effect'] = measure_edit(
            generator, classifier, ws[n_fit:], direction, index,
            args.eval_strength, probs[n_fit:], args.batch_size)
        eff = entry['edit_effect']
        print(f'edit +/-{args.eval_strength:g} on {n_held} held-out '
              f'samples: p({args.attribute}) {eff["mean_prob_minus"]:.3f} '
              f'<- {eff["mean_prob"]:.3f} -> {eff["mean_prob_plus"]:.3f}')
    return dict(attribute=args.attribute, directions=[entry],
                classifier_config=args.classifier_config,
                classifier_checkpoint=args.classifier_checkpoint)


def main(argv=None) -> int:
    args, parser = parse_args(argv)
    check_args(args, parser)
    if args.prefix is None:
        args.prefix = 'generator_ema.module' if args.config else \
            'generator_ema'
    generator = load_generator(args).to(args.device)
    layers = tuple(args.layers) if args.layers is not None else None
    if layers is not None and layers[1] > generator.n_latent:
        parser.error(f'--layers {list(layers)} go past the '
                     f'{generator.n_latent} W+ codes of the generator')
    os.makedirs(args.out, exist_ok=True)
    if args.method == 'ganspace':
        limit = min(args.num_samples - 1, generator.w_dim)
        if not 1 <= args.num_components <= limit:
            parser.error(f'--num-components must be in [1, {limit}], got '
                         f'{args.num_components}')
        summary = run_ganspace(args, generator, layers)
    else:
        summary = run_interfacegan(args, generator, layers)
    summary.update(
        method=args.method, checkpoint=args.checkpoint, config=args.config,
        prefix=args.prefix, num_samples=args.num_samples, seed=args.seed,
        truncation_psi=args.truncation_psi,
        layers=None if layers is None else list(layers),
        w_dim=generator.w_dim, n_latent=generator.n_latent)
    path = osp.join(args.out, 'summary.json')
    with open(path, 'w') as f:
        json.dump(summary, f, indent=2)
    print(f'summary -> {path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
