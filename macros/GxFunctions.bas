Attribute VB_Name = "GxFunctions"
' Worksheet functions of the gxexcel add-in, bound to gxexcel.excel.udfs.
' Written in the form xlwings' ImportPythonUDFs generates for an add-in; the
' argument named "caller" is filled in by xlwings with the calling cell.
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel

Function GX_CHECK()
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    Application.Volatile
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GX_CHECK = XLPy.CallUDF("gxexcel.excel.udfs", "GX_CHECK", Array(Nothing), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        GX_CHECK = XLPy.CallUDF("gxexcel.excel.udfs", "GX_CHECK", Array(Nothing))
        Exit Function
    #End If
failed:
    GX_CHECK = Err.Description
End Function

Function GX_NARRATIVE(part)
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    Application.Volatile
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GX_NARRATIVE = XLPy.CallUDF("gxexcel.excel.udfs", "GX_NARRATIVE", Array(part, Nothing), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        GX_NARRATIVE = XLPy.CallUDF("gxexcel.excel.udfs", "GX_NARRATIVE", Array(part, Nothing))
        Exit Function
    #End If
failed:
    GX_NARRATIVE = Err.Description
End Function
