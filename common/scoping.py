"""The one scoping rule: a login scoped to some platforms sees only their rows. The REST views, the
page selectors and the console sockets all filter through it."""


def scoped(queryset, platform_ids, path: str = "platform_id"):
    """Only the rows of the platforms a login is scoped to (`platform_ids` None means all). `path` leads
    from the queryset's rows to their platform's id: "id" for platforms themselves,
    "zone__platform_id" for incidents, "squad__platform_id" for shifts."""
    return queryset if platform_ids is None else queryset.filter(**{f"{path}__in": platform_ids})
