"""Import every sub-package so all components are registered."""
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register all toolbox components into the registries.

    Scripts and tests call this once; runners built from configs with
    ``default_scope='inpaint_toolbox'`` import lazily and need not.

    Args:
        init_default_scope (bool): also make ``inpaint_toolbox`` the current
            default scope. Defaults to True.
    """
    import inpaint_toolbox.apis  # noqa: F401,F403
    import inpaint_toolbox.datasets  # noqa: F401,F403
    import inpaint_toolbox.engine  # noqa: F401,F403
    import inpaint_toolbox.evaluation  # noqa: F401,F403
    import inpaint_toolbox.masks  # noqa: F401,F403
    import inpaint_toolbox.models  # noqa: F401,F403
    import inpaint_toolbox.visualization  # noqa: F401,F403
    from .checkpoint import install
    install()

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None:
        DefaultScope.get_instance(
            'inpaint_toolbox', scope_name='inpaint_toolbox')
    elif current.scope_name != 'inpaint_toolbox':
        warnings.warn(f'The current default scope "{current.scope_name}" is '
                      'not "inpaint_toolbox"; a new scope is created.')
        stamp = datetime.datetime.now().strftime('%Y%m%d-%H%M%S%f')
        DefaultScope.get_instance(
            f'inpaint_toolbox-{stamp}', scope_name='inpaint_toolbox')
