"""How a byline reads as one line, for admin lists, search results and logs."""


def credit_line(credits):
    """'记者 林旭东 胡佳英 通讯员 王晨慧': each role once, names in byline order."""
    parts, last_role = [], None
    for credit in credits:
        if credit.role != last_role:
            parts.append(credit.get_role_display())
            last_role = credit.role
        parts.append(credit.person.name)
    return " ".join(parts)
