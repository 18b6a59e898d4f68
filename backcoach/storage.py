from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, with `import "./sync.js"` in our ES modules rewritten
    to the hashed name too, so that no script is fetched by a name that is cached briefly."""

    support_js_module_import_aggregation = True
