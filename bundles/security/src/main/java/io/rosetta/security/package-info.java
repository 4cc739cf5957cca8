/**
 * The access policy of the API: {@link io.rosetta.security.AccessControl} (grants of
 * {@link io.rosetta.security.AccessLevel}s on namespaces to users and tokens) and
 * {@link io.rosetta.security.Tokens} (bearer tokens, stored hashed).
 */
package io.rosetta.security;
