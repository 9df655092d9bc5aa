# Each feature registers its own admin pages; more import lines may be appended.
from . import (
    admin_a,  # noqa: F401
    admin_b,  # noqa: F401
)
