"""A machine-readable description (OpenAPI 3.1) of the OParl endpoints, for clients and code generators."""

from django.urls import reverse

from oparl.abbildung import LISTEN, SCHEMA, TYPEN, absolut

LISTEN_PARAMETER = [
    {"name": name, "in": "query", "required": False, "schema": {"type": "string", "format": "date-time"}}
    for name in ("created_since", "created_until", "modified_since", "modified_until")
] + [
    {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
    {"name": "omit_internal", "in": "query", "required": False, "schema": {"type": "boolean"}},
]

FEHLER = {
    "description": "OParl-Fehlerobjekt",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def objekt(typ):
    return {"$ref": f"{SCHEMA}{typ}"}


def openapi_beschreibung():
    basis = absolut(reverse("oparl:system")).rstrip("/")
    pfade = {
        "/": {
            "get": {
                "summary": "System",
                "responses": {
                    "200": {"description": "System", "content": {"application/json": {"schema": objekt("System")}}}
                },
            }
        },
        "/body/": {
            "get": {
                "summary": "Liste der Körperschaften",
                "parameters": LISTEN_PARAMETER,
                "responses": {"200": {"description": "Liste"}, "400": FEHLER},
            }
        },
        "/body/{id}": {
            "get": {
                "summary": "Body",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {"description": "Body", "content": {"application/json": {"schema": objekt("Body")}}},
                    "404": FEHLER,
                },
            }
        },
    }
    for liste in LISTEN:
        pfade[f"/body/1/{liste}"] = {
            "get": {
                "summary": f"Liste {liste}",
                "parameters": LISTEN_PARAMETER,
                "responses": {
                    "200": {
                        "description": "Seite der Liste mit data, pagination und links",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Liste"}}},
                    },
                    "400": FEHLER,
                    "404": FEHLER,
                },
            }
        }
    for typ in TYPEN.values():
        pfade[f"/{typ.name}/{{id}}"] = {
            "get": {
                "summary": typ.oparl,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": f"{typ.oparl} (oder gelöscht: deleted true)",
                        "content": {"application/json": {"schema": objekt(typ.oparl)}},
                    },
                    "404": FEHLER,
                },
            }
        }
    for typ in ("file", "sitzungsdokument"):
        pfade[f"/{typ}/{{id}}/download"] = {
            "get": {
                "summary": "Datei als Anhang (Content-Disposition: attachment)",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "Die Datei"}, "404": {"description": "Nicht gefunden"}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "OParl 1.1",
            "version": "1.1",
            "description": "Öffentliche, veröffentlichte Inhalte des Ratsinformationssystems nach OParl 1.1 (https://oparl.org).",
        },
        "servers": [{"url": basis}],
        "paths": pfade,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["type", "message"],
                    "properties": {
                        "type": {"const": SCHEMA + "Error"},
                        "message": {"type": "string"},
                        "debug": {"type": "string"},
                    },
                },
                "Liste": {
                    "type": "object",
                    "required": ["data", "pagination", "links"],
                    "properties": {
                        "data": {"type": "array"},
                        "pagination": {"type": "object"},
                        "links": {"type": "object"},
                    },
                },
            }
        },
    }
