Attribute VB_Name = "GxRibbon"
Option Explicit
' Ribbon callbacks of the gxexcel add-in (tab "zheng wu gong kai nian bao").
'
' Every button of customUI.xml calls GxOnAction. It passes control.Id to the one
' Python dispatcher, gxexcel.excel.dispatch.main, together with the add-in's
' version (GX_ADDIN_VERSION, written by "gxexcel addin build") so that Python
' can check it matches the installed gxexcel and tell the clerk what to run,
' and the add-in's file name, by which Python calls GxNotes (cell notes).
' Python handles every id and reports an unknown one; the only things done here
' are picking a folder for gxMerge, which needs Excel's own folder dialog, and
' noting which cells of the form hold formulas (GxFormulaFacts): Python reads the
' open workbook's values only, and needs to know a total typed over with its sum
' or a formula typed into a data cell, as "gxexcel validate" knows from the file.
'
' This module is ASCII on purpose: VBA stores source in the ANSI code page of
' the machine, so Chinese text is shown by Python or built with GxText.

Public Const GX_ADDIN_VERSION As String = "0.0.0"
' The rectangles of the form's table cells, "sheet name as code points!A1:B2" joined
' by ";": written by "gxexcel addin build" from gxexcel.layout (formulas.vba_areas).
Public Const GX_FORMULA_AREAS As String = ""
' What of the formulas is passed on the command line (cmd.exe takes 8191 characters):
' at most GX_FORMULA_CHARS characters of one formula, and once the lines passed reach
' GX_FORMULA_BUDGET characters (as escaped) a formula is passed as "=" alone: the cell
' holds one. At most 4000 + 226 cells * 10 characters in all.
Private Const GX_FORMULA_CHARS As Long = 100
Private Const GX_FORMULA_BUDGET As Long = 4000

Public Sub GxOnAction(control As IRibbonControl)
    GxRun control.Id
End Sub

Public Sub GxRun(ByVal controlId As String)
    Dim arg As String
    Select Case controlId
        Case "gxMerge"
            arg = GxPickFolder()
            If arg = "" Then Exit Sub
        Case Else
            arg = ""
    End Select
    ' The template locks the workbook's structure (no password); gxValidate adds the
    ' result sheet, so lift the lock while Python runs (RunPython waits for it)
    ' and put it back afterwards.
    Dim wb As Workbook, relock As Boolean
    Set wb = ActiveWorkbook
    If Not wb Is Nothing Then
        If wb.ProtectStructure Then
            On Error Resume Next
            wb.Unprotect
            relock = Not wb.ProtectStructure
            On Error GoTo 0
        End If
    End If
    RunPython GxCommand(wb, controlId, arg)
    If relock Then wb.Protect Structure:=True
End Sub

Public Function GxCommand(wb As Workbook, ByVal controlId As String, ByVal arg As String) As String
    ' The Python command for a click: the button, its argument, the add-in's version
    ' and file name, and the formulas of the form in wb (Nothing: none known).
    Dim facts As String
    If Not wb Is Nothing Then facts = GxFormulaFacts(wb)
    GxCommand = "import gxexcel.excel.dispatch as gx; gx.main(" & _
        PyText(controlId) & ", " & PyText(arg) & ", " & PyText(GX_ADDIN_VERSION) & ", " & _
        PyText(ThisWorkbook.Name) & ", " & PyText(facts) & ")"
End Function

Public Function GxFormulaFacts(wb As Workbook) As String
    ' The cells of GX_FORMULA_AREAS in wb that hold a formula (an array formula's in
    ' each of its cells): a first line "gx1", then one line per cell, "sheet<TAB>A1<TAB>
    ' formula" (the sheet left empty when it is the line before's). A missing sheet is
    ' skipped. "" when the workbook could not be read: Python then reads values only.
    Dim areas() As String, parts() As String, i As Long, ws As Worksheet, c As Range
    Dim out As String, rec As String, formula As String, sheetName As String, lastSheet As String
    Dim used As Long
    If GX_FORMULA_AREAS = "" Then Exit Function
    On Error GoTo Failed
    out = "gx1"
    areas = Split(GX_FORMULA_AREAS, ";")
    For i = LBound(areas) To UBound(areas)
        parts = Split(areas(i), "!")
        sheetName = GxText(parts(0))
        Set ws = Nothing
        On Error Resume Next
        Set ws = wb.Worksheets(sheetName)
        Err.Clear
        On Error GoTo Failed
        If Not ws Is Nothing Then
            For Each c In ws.Range(parts(1)).Cells
                If c.HasFormula Then
                    formula = c.Formula
                    If Len(formula) > GX_FORMULA_CHARS Then formula = Left(formula, GX_FORMULA_CHARS) & ChrW(8230)
                    If sheetName = lastSheet Then rec = "" Else rec = sheetName
                    rec = vbLf & rec & vbTab & c.Address(False, False) & vbTab
                    If used + Len(PyText(rec & formula)) > GX_FORMULA_BUDGET Then formula = "="
                    rec = rec & formula
                    used = used + Len(PyText(rec))
                    out = out & rec
                    lastSheet = sheetName
                End If
            Next c
        End If
    Next i
    GxFormulaFacts = out
    Exit Function
Failed:
    GxFormulaFacts = ""
End Function

Private Function GxPickFolder() As String
    ' "Choose the folder to consolidate" (xuan ze yao hui zong de wen jian jia)
    Dim dialog As Object
    Set dialog = Application.FileDialog(4) ' msoFileDialogFolderPicker
    dialog.Title = GxText("9009 62E9 8981 6C47 603B 7684 6587 4EF6 5939")
    dialog.AllowMultiSelect = False
    If dialog.Show = -1 Then
        GxPickFolder = dialog.SelectedItems(1)
    Else
        GxPickFolder = ""
    End If
End Function

Public Function GxText(ByVal codePoints As String) As String
    ' Text from hexadecimal Unicode code points separated by spaces.
    Dim parts() As String, i As Long, out As String
    parts = Split(Trim(codePoints), " ")
    For i = LBound(parts) To UBound(parts)
        If parts(i) <> "" Then out = out & ChrW(CLng("&H" & parts(i)))
    Next i
    GxText = out
End Function

Private Function PyText(ByVal s As String) As String
    ' A Python string literal in plain ASCII that cmd.exe (Windows) and sh (macOS) pass
    ' on unchanged: letters, digits and a few signs as they are; tab and line feed as
    ' \t and \n, any other character as \xHH or \uHHHH (quotes, backslash, %, $, |,
    ' Chinese text).
    Dim i As Long, code As Long, ch As String, out As String
    For i = 1 To Len(s)
        ch = Mid(s, i, 1)
        code = AscW(ch)
        If code < 0 Then code = code + 65536
        If (code >= 48 And code <= 57) Or (code >= 65 And code <= 90) Or (code >= 97 And code <= 122) _
                Or InStr(" =+-*/(),.:;<>&^#@?_[]{}~", ch) > 0 Then
            out = out & ch
        ElseIf code = 9 Then
            out = out & "\t"
        ElseIf code = 10 Then
            out = out & "\n"
        ElseIf code < 256 Then
            out = out & "\x" & Right("0" & Hex(code), 2)
        Else
            out = out & "\u" & Right("000" & Hex(code), 4)
        End If
    Next i
    PyText = "'" & out & "'"
End Function
