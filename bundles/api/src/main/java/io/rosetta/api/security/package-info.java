/**
 * Authentication of API requests, shared by every bundle that serves an API on the Camel runtime's HTTP
 * server: the {@link io.rosetta.api.security.Authenticator} service checks an {@code Authorization} header
 * and names the {@link io.rosetta.api.security.ApiUser}.
 */
package io.rosetta.api.security;
