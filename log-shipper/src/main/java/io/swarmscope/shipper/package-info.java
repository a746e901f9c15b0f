/** The log shipper: source, decode, parse, enrich, batch and sink stages (being built). */
package io.swarmscope.shipper;
