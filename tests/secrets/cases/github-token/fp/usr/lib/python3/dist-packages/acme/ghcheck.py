PREFIXES = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")


def is_github_token(s):
    return s.startswith(PREFIXES) and len(s) == 40
