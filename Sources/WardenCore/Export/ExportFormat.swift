/// The file formats an export can produce; Veza numbers CSV 0.
public enum ExportFormat: String, WireEnum {
    case csv = "CSV"
}
