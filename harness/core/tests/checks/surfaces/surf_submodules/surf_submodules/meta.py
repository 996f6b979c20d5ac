def schema(draft=4):
    return {"draft": draft}
