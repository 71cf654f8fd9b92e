#pragma once

#include <QString>

class PlanController;
class QWidget;

namespace ExportActions {
/// Asks where to save the checklist as "pdf", "csv", "md" or "ics", writes it and reports a failure.
/// Returns the path written, or an empty string (cancelled or failed).
QString exportChecklist(QWidget *parent, PlanController *plan, const QString &format);
} // namespace ExportActions
