#pragma once

#include <QString>

#include <functional>

class PlanController;
class QWidget;

namespace ExportActions {
/// Asks where to save the checklist as "pdf", "csv", "md" or "ics", then writes it off the GUI
/// thread. A failure is reported through Prompts; onSaved gets the path once the file is written.
void exportChecklist(QWidget *parent, PlanController *plan, const QString &format,
                     std::function<void(const QString &path)> onSaved);
} // namespace ExportActions
