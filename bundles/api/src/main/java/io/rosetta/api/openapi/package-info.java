/**
 * The OpenAPI document of the HTTP API, assembled from contributions: a bundle that serves more of the API on the
 * Camel runtime's HTTP server (the search, the device administration) registers an
 * {@link io.rosetta.api.openapi.ApiDocumentation} service with the fragment that documents its paths, and
 * {@code GET /api/2/openapi.json} serves the API's own document merged with every fragment registered at the time. A fragment shipped as {@code openapi.json} next to the contributing class
 * needs only a DS component class that extends {@link io.rosetta.api.openapi.ResourceDocumentation}.
 */
@Version("1.1.0")
package io.rosetta.api.openapi;

import org.osgi.annotation.versioning.Version;
