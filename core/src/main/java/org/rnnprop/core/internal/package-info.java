/**
 * Internal to rnnprop-java, not API: file and build plumbing shared by the project's modules (atomic writes,
 * the code version for provenance). It may change in any release.
 */
package org.rnnprop.core.internal;
