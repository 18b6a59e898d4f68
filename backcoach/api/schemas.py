"""What every resource of the API answers with when it refuses a request."""

from ninja import Schema


class Problem(Schema):
    detail: str
