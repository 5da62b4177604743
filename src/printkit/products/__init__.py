"""The product kinds printkit makes, registered as Sphinx registers its builders.

A product kind is one module (here, or a campaign's own, registered with ``register``)
plus one layout folder. Its class declares, once: its layout folder and template, where
its files go, its medium in tracking parameters, its formats with their paper and
finishing, its fitting, its impositions on copy-shop sheets, the addresses its QR codes
must lead to, and its quantity key. The plan, the make step, the checks, the pack, the
loader and the command line read the registry, never a product's name.

Declarations import nothing heavy: a build with nothing to do never loads WeasyPrint.
The fitting runs in a worker and reaches the layout engine through its ``Context``.
"""

from printkit.products.registry import (FileSubject, Format, Imposition, Material, Product, Rendered, Sheet,
                                        product, products, products_wording, quantity_forms, quantity_theme,
                                        register, unregister)

from printkit.products import booklet, leaflet, card, letter, ballot, poster, circular  # noqa: E402,F401,I001  the built-in kinds, in build order

__all__ = ["FileSubject", "Format", "Imposition", "Material", "Product", "Rendered", "Sheet", "product",
           "products", "products_wording", "quantity_forms", "quantity_theme", "register", "unregister"]
