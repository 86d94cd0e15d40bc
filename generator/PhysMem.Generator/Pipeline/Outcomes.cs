// The outcome of each per-model stage, by name: what the stage makes of an accepted model, and what
// a refused one's generated half follows.

// Reading the attribute: accepted when its values are usable; nothing more to carry.
global using ReadOutcome = PhysMem.Generator.Pipeline.Outcome<PhysMem.Generator.Pipeline.Nothing, PhysMem.Generator.Pipeline.Nothing>;

// Merging the layers: the layout spec; a refused model's surface follows the layout the attribute
// alone asks for (none when the layers were merged and something later refused it).
global using ResolvedOutcome = PhysMem.Generator.Pipeline.Outcome<PhysMem.LayoutSpec, PhysMem.LayoutSpec?>;

// Laying out: what the emitter writes; a refused model's surface, or none (nothing is written).
global using ModelOutcome = PhysMem.Generator.Pipeline.Outcome<PhysMem.Generator.Pipeline.BuiltModel, PhysMem.Generator.Pipeline.SurfaceInfo?>;
