import SCIMFilter
import WardenCore

/// A record of one activity log table: how it is stored, listed and exported.
///
/// The store, the routes and the CLI are written once against this protocol; each record type
/// gives its table, columns (in its wire order), list spec and conversions.
public protocol ActivityRecord: Codable, Sendable {
    /// The resource's path segment under `/api/private/lifecycle_management/`, e.g. `action_events`;
    /// also the name of its exports.
    static var resource: String { get }
    /// What one record is called in messages, e.g. `action event`.
    static var noun: String { get }
    /// The operations of the permission table that list, get and export these records.
    static var operations: (list: APIOperation, get: APIOperation, export: APIOperation) { get }
    /// The table's name.
    static var table: String { get }
    /// The stored columns, in the order of `databaseValues` and of `init(reading:)`.
    static var columns: [String] { get }
    /// The columns that identify a record; writing a record with the same key updates it.
    static var keyColumns: [String] { get }
    /// What the list accepts: catalog, default order, page sizes.
    static var listSpec: ListSpec { get }
    /// How each column is written in CSV exports, in `columns` order.
    static var csvColumns: [CSVColumn] { get }
    /// The columns that hold JSON text, embedded as JSON in list bodies.
    static var jsonColumns: Set<String> { get }

    /// Reads a record from a row selected with `columns`.
    init(reading row: inout DatabaseRowReader) throws

    /// The stored values, in `columns` order.
    var databaseValues: [DatabaseValue] { get }
}

extension ActivityRecord {
    public static var jsonColumns: Set<String> { [] }

    /// Writes list bodies from `databaseValues`, as `WireJSON.encoder()` would write the records.
    public static var jsonWriter: JSONRowWriter { JSONRowWriter(columns: columns, kinds: csvColumns, jsonColumns: jsonColumns) }

    /// The CSV header: the stored columns, named as on the wire.
    public static var csvHeader: [String] { columns }

    /// The CSV cells, as an export writes them: timestamps in UTC, absent values empty, JSON as text.
    public var csvCells: [String] {
        zip(databaseValues, Self.csvColumns).map { $1.cell($0) }
    }
}

extension ListSpec {
    /// An activity log list: newest first by `defaultOrder`, at most 1000 a page, ties broken by
    /// insertion order (the hidden `seq` column).
    static func activity(_ name: String, catalog: FieldCatalog, defaultOrder: String) -> ListSpec {
        ListSpec(
            name: name, catalog: catalog, defaultOrder: defaultOrder,
            tiebreaker: CatalogField("seq", type: .integer, operators: [], nullable: false), maximumPageSize: 1000
        )
    }
}
