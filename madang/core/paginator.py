"""Pages of a list whose total is counted only up to a cap.

Counting every match of a common word in a national call (100,000 proposals or more) costs
more than showing the page itself; beyond CAP the page says "1,000+" and offers the first
CAP / per_page pages, which is all anyone reads before refining the search.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def count(self) -> int:
        from madang.core.fulltext import capped_count

        return capped_count(self.object_list, self.cap)  # type: ignore[arg-type]  # the pages that use this paginator give it a QuerySet; Paginator types object_list as any sliceable

    @property
    def capped(self) -> bool:
        return self.count > self.cap
