//! Placeholder: the counts behind the report's and the map's charts.
