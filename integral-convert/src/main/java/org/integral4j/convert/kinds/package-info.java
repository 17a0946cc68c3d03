/**
 * The one registry of the DL4J layers Integral4J supports. A
 * {@link org.integral4j.convert.kinds.LayerKind} says everything about one kind of layer: its
 * configuration classes, how its channels flow ({@link org.integral4j.convert.kinds.ChannelRule},
 * read by the channel-group analysis), its weight layouts (DL4J storage, reported, canonical
 * {@code (out, in, ...)}), its integral layers, its export at new widths, and its cost.
 * {@link org.integral4j.convert.kinds.LayerKinds} holds the built-in kinds;
 * {@link org.integral4j.convert.kinds.LayerRegistry} is the set one conversion uses, extended with
 * {@link org.integral4j.convert.kinds.LayerRegistry#with} for new layer classes.
 */
package org.integral4j.convert.kinds;
