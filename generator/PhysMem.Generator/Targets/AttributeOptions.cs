using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Diagnostics;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Targets;

/// <summary>The layout inputs the <c>[MemoryModel]</c> attribute's arguments set, read as one layer of inputs.</summary>
internal static class AttributeOptions
{
    /// <summary>
    /// Reads the constructor argument and the named properties into <paramref name="inputs"/> (as
    /// text, source <c>attribute</c>), in the order written.
    /// </summary>
    /// <returns>False when an argument is unusable (a diagnostic says why).</returns>
    public static bool Read(AttributeData attribute, List<ArgumentLocation> arguments, LocationInfo? attributeLocation, List<InputSource> inputs, List<DiagnosticInfo> diagnostics, out string? arch, out string? kconfig, out string? memoryMapFile, out string? vmcoreInfo)
    {
        arch = null;
        kconfig = null;
        vmcoreInfo = null;
        memoryMapFile = null;
        var options = new LayoutOptions();
        var names = new List<string>();
        bool ok = true;

        void Invalid(string name, string why)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.InvalidArgument.Id, Blame.Locate(new[] { name }, arguments, attributeLocation), new EquatableArray<string>(new[] { name, why })));
            ok = false;
        }

        if (attribute.AttributeConstructor is { Parameters.Length: 1 } ctor)
        {
            bool byArch = ctor.Parameters[0].Type.Name == "Arch";
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error || attribute.ConstructorArguments[0].Value is not int firstValue)
            {
                Invalid("Model", "it must be a constant of the Model enum (Flat, Discontig or Sparse) or of the Arch enum");
                return false;
            }

            if (byArch)
            {
                if (!Enum.IsDefined(typeof(PhysMem.Arch), firstValue))
                {
                    Invalid("Model", "'" + firstValue.ToString(CultureInfo.InvariantCulture) + "' is not an Arch preset");
                    return false;
                }

                arch = ((PhysMem.Arch)firstValue).ToString();
            }
            else
            {
                if (!Enum.IsDefined(typeof(PhysMem.Model), firstValue))
                {
                    Invalid("Model", "'" + firstValue.ToString(CultureInfo.InvariantCulture) + "' is not one of Flat, Discontig or Sparse");
                    return false;
                }

                options.Model = (PhysMem.Model)firstValue;
                names.Add("Model");
            }
        }
        else if (attribute.AttributeConstructor is null)
        {
            // The attribute does not bind (the compiler reports why): nothing to read.
            return false;
        }

        foreach (var pair in attribute.NamedArguments)
        {
            string name = pair.Key;
            TypedConstant value = pair.Value;
            if (name is "Kconfig" or "MemoryMapFile" or "VmcoreInfo")
            {
                if (value.Kind != TypedConstantKind.Error && value.IsNull)
                {
                    // null is the property's default: no file, as if it were not written.
                    continue;
                }

                // Files among the AdditionalFiles, by path or the end of it.
                string? file = value.Value is string text && text.Trim().Length > 0 ? text.Trim() : null;
                if (file is null)
                {
                    Invalid(name, name switch
                    {
                        "Kconfig" => "it must name a kernel configuration among the project's AdditionalFiles (\"linux.config\")",
                        "VmcoreInfo" => "it must name a VMCOREINFO note among the project's AdditionalFiles (\"vmcoreinfo.txt\")",
                        _ => "it must name a memory map among the project's AdditionalFiles (\"board.iomem\")",
                    });
                }
                else if (name == "Kconfig")
                {
                    kconfig = file;
                }
                else if (name == "VmcoreInfo")
                {
                    vmcoreInfo = file;
                }
                else
                {
                    memoryMapFile = file;
                }

                continue;
            }

            if (name == "PageType")
            {
                // Read by ReadPageType: it is not a layout input.
                continue;
            }

            if (value.Kind == TypedConstantKind.Error || value.Value is null)
            {
                Invalid(name, "it is not a constant of the property's type");
                continue;
            }

            // Every input the attribute has a property for is a row of the shared table.
            if (InputTable.Find(name) is not { OnAttribute: true } input || !input.TrySetValue(options, value.Value))
            {
                // A known name with a value of another type comes from an attribute class that is
                // not the runtime's (a copy declared in source, CS0436).
                Invalid(name, InputTable.Find(name) is not null ? "it is not a constant of the property's type" : "PhysMem does not know this property");
                continue;
            }

            names.Add(name);
        }

        foreach (var name in names)
        {
            inputs.Add(new InputSource(name, KconfigValues.Format(options, name) ?? string.Empty, "attribute"));
        }

        return ok;
    }
}
